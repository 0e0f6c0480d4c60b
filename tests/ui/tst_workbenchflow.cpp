// The workbench's whole flow in one window, as a student does it by hand, on a tiny dataset:
// open the data, design Attack II (classes and a rate picked in the form), the preview holds
// exactly the pairs `poisonlab-cli poison` exports for the saved experiment, "Show in pair
// browser" marks them, train one short epoch with the clean reference, the charts and the log
// receive data, the run opens in Results and the pair is compared there.
#include "TestSupport.h"
#include "ToyExperiment.h"
#include "design/AttackDesignerPanel.h"
#include "design/ClassPicker.h"
#include "design/ParameterField.h"
#include "design/PluginOptionsForm.h"
#include "design/PoisonPreviewPanel.h"
#include "design/RateEditor.h"
#include "design/TrainingSetReader.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/ExperimentFileActions.h"
#include "log/LogModel.h"
#include "log/LogPane.h"
#include "results/RunComparisonView.h"
#include "results/RunViewer.h"
#include "train/TrainMonitor.h"
#include "train/TrainPanel.h"
#include "window/FlowBar.h"
#include "window/MainWindow.h"

#include "charts/LiveLossChart.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/report/RunResults.h"

#include <spdlog/spdlog.h>

#include <QDoubleSpinBox>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

#include <set>
#include <tuple>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

class TestWorkbenchFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { spdlog::set_level(spdlog::level::debug); } // as initLogging() sets the app's
    void designPreviewTrainResults();
};

namespace {

const int kLongMs = 240000; // the machine may be busy building

using PairKey = std::tuple<int, std::string, std::string>;

std::set<PairKey> pairsOf(const attack::PoisonManifest &m)
{
    std::set<PairKey> out;
    for (const auto &p : m.pairs)
        out.emplace(p.caption, p.originalPath, p.newPath);
    return out;
}

void pick(ui::ClassPicker *picker, const QString &name)
{
    QVERIFY(picker);
    const int at = picker->findData(name);
    QVERIFY2(at >= 0, qPrintable(name));
    picker->setCurrentIndex(at);
    Q_EMIT picker->activated(at);
}

} // namespace

void TestWorkbenchFlow::designPreviewTrainResults()
{
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    json doc = test::toyExperimentJson(dir / "toy", false, "flow");
    doc["training"]["epochs"] = 1;
    test::writeText(dir / "flow.json", doc.dump(2));

    // 1 Data: the toy CSV dataset, and the experiment that trains on it.
    ui::MainWindow window;
    window.setCloseQuestion([] { return true; });
    QSignalSpy opened(&window, &ui::MainWindow::openingEnded);
    data::DatasetSource source;
    source.format = "csv";
    source.root = dir / "toy";
    window.openDataset(source);
    QTRY_COMPARE_WITH_TIMEOUT(opened.count(), 1, kLongMs);
    QVERIFY(window.flowBar()->isDone(ui::FlowBar::Data));
    QVERIFY(window.experimentFiles()->open(QString::fromStdString((dir / "flow.json").string())));

    // 2 Attack: Attack II, sheep -> aeroplane on half the sheep captions, picked in the form.
    QVERIFY(window.showPanel(QStringLiteral("attack")));
    ui::AttackDesignerPanel *designer = window.attackDesigner();
    QTRY_VERIFY_WITH_TIMEOUT(designer->trainingSetReader()->summary() != nullptr, kLongMs);
    designer->selectAttack(QStringLiteral("attack-single-target-label"));
    pick(designer->optionsForm()->field(QStringLiteral("source"))->classPicker(), QStringLiteral("sheep"));
    pick(designer->optionsForm()->field(QStringLiteral("target"))->classPicker(), QStringLiteral("aeroplane"));
    designer->optionsForm()->field(QStringLiteral("rate"))->rateEditor()->spinBox()->setValue(0.5);
    QVERIFY2(designer->isValid(), qPrintable(designer->problems().join(QLatin1Char('\n'))));
    ui::PoisonPreviewPanel *preview = designer->previewPanel();
    QTRY_VERIFY_WITH_TIMEOUT(preview->manifest() && preview->manifest()->rate == 0.5, kLongMs);
    QTRY_VERIFY(window.flowBar()->isDone(ui::FlowBar::Attack));
    const attack::PoisonManifest previewed = *preview->manifest();
    QCOMPARE(previewed.poisonedPairs, 4LL); // half of the 8 sheep training captions

    // Save Experiment…: the CLI poisons exactly the previewed pairs.
    const QString saved = QString::fromStdString((dir / "saved.json").string());
    QVERIFY(window.experimentFiles()->saveTo(saved));
    const QString cli = QCoreApplication::applicationDirPath() + QStringLiteral("/poisonlab-cli");
    if (QFileInfo::exists(cli)) {
        QProcess process;
        process.start(cli, {QStringLiteral("poison"), QStringLiteral("--config"), saved, QStringLiteral("--out"),
                            QString::fromStdString((dir / "p.json").string())});
        QVERIFY(process.waitForFinished(kLongMs));
        QVERIFY2(process.exitCode() == 0, process.readAllStandardError().constData());
        const auto exported = attack::PoisonManifest::fromJson(readJsonFile(dir / "p.manifest.json"));
        QCOMPARE(pairsOf(exported), pairsOf(previewed));
    } else if (test::runningInCi()) {
        QFAIL("poisonlab-cli is not beside the test runner");
    }

    // "Show in pair browser": the previewed pairs are marked in the open dataset.
    Q_EMIT preview->showInBrowserRequested();
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Data));
    const auto &captions = window.dataset()->captions;
    QCOMPARE(std::count_if(captions.begin(), captions.end(), [](const data::CaptionRecord &c) { return c.poisoned; }),
             4L);

    // 3 Train: "Train this attack", one short epoch and the clean reference.
    designer->trainButton()->click();
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Train));
    ui::TrainPanel *train = window.trainPanel();
    train->setOutputDir(QString::fromStdString((dir / "runs" / "flow").string()));
    train->setTrainCleanReference(true);
    QSignalSpy finished(train, &ui::TrainPanel::runFinished);
    QSignalSpy failed(train->controller(), &ui::ExperimentController::failed);
    QSignalSpy shown(window.runViewer(), &ui::RunViewer::runOpened);
    train->startButton()->click();
    QVERIFY(train->isTraining());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kLongMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QTRY_VERIFY(train->monitor()->lossChart()->pointCount() > 0);      // drawn by the 40 ms batching timer
    QTRY_VERIFY(train->monitor()->logPane()->model()->rowCount() > 0); // flushed by a queued call

    // 4 Results: the run is shown, its poisoned pairs are the previewed ones, and the clean
    // reference sits beside it in the comparison.
    QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kLongMs);
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Results));
    QVERIFY(window.flowBar()->isDone(ui::FlowBar::Train));
    QCOMPARE(window.runViewer()->results()->name(), std::string("flow"));
    QVERIFY(window.runViewer()->results()->poisonManifest);
    const auto trained =
        attack::PoisonManifest::fromJson(readJsonFile(dir / "runs" / "flow" / "poison" / "manifest.json"));
    QCOMPARE(pairsOf(trained), pairsOf(previewed));
    QCOMPARE(window.runComparison()->runCount(), 2);
}

POISONLAB_TEST_MAIN(TestWorkbenchFlow)
#include "tst_workbenchflow.moc"
