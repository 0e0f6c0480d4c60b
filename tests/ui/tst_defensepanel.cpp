// The defense panel: a 1-epoch clean fine-tuning (`defend`) at two learning rates on a toy run
// made here, started from the form on the panel's JobRunner, ends with a Hit@10 and a utility
// point per epoch per learning rate, the table, and the run's pre-filter ROC; bad learning rates
// are refused beside the field; Cancel leaves posttrain.json untouched.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "analysis/DefensePanel.h"
#include "charts/LineChartWidget.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "results/DefenseResultsView.h"

#include <QLineSeries>
#include <QSignalSpy>
#include <QStandardItemModel>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::DefensePanel;
namespace fs = std::filesystem;

namespace {

const int kJobMs = 240000; // generous: the machine may be busy building

QString q(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

} // namespace

class TestDefensePanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void learningRatesAreParsed_data();
    void learningRatesAreParsed();
    void badLearningRatesDoNotStart();
    void defendsAndChartsEveryEpochPerLearningRate();
    void cancelLeavesNoPostTrainFile();

private:
    test::TempDir m_dir;
    fs::path m_run; ///< Attack II with the distance filter (so it has a ROC), 1 epoch
};

void TestDefensePanel::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
    json j = test::toyExperimentJson(m_dir / "toy", true, "poisoned");
    j["training"]["epochs"] = 1;
    j["evaluation"]["every_epoch"] = false;
    j["defenses"] = {{{"plugin", "defense-distance-filter"}, {"options", {{"threshold", {{"percentile", 90}}}}}}};
    NullProgress progress;
    experiment::RunOptions options;
    options.outDir = m_run = m_dir / "poisoned";
    options.evaluateInitial = false;
    experiment::ExperimentRunner::run(experiment::ExperimentConfig::fromJson(j), options, progress);
}

void TestDefensePanel::learningRatesAreParsed_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QList<double>>("rates");
    QTest::addColumn<bool>("error");
    QTest::newRow("paper's") << "1e-3, 1e-4, 1e-5" << QList<double>{1e-3, 1e-4, 1e-5} << false;
    QTest::newRow("spaces") << "0.01 0.001" << QList<double>{0.01, 0.001} << false;
    QTest::newRow("negative") << "1e-3, -1" << QList<double>{} << true;
    QTest::newRow("word") << "fast" << QList<double>{} << true;
    QTest::newRow("empty") << " " << QList<double>{} << true;
}

void TestDefensePanel::learningRatesAreParsed()
{
    QFETCH(QString, text);
    QFETCH(QList<double>, rates);
    QFETCH(bool, error);
    QString problem;
    QCOMPARE(DefensePanel::parseLearningRates(text, &problem), rates);
    QCOMPARE(!problem.isEmpty(), error);
}

void TestDefensePanel::badLearningRatesDoNotStart()
{
    DefensePanel panel;
    panel.setRuns({q(m_run), QString()});
    panel.setLearningRates(QStringLiteral("1e-3, zero"));
    QVERIFY(!panel.start());
    QVERIFY(!panel.isBusy());
    QVERIFY(panel.defenseConfig().is_null());
    QVERIFY(!fs::exists(m_run / "results" / "defense" / "posttrain.json"));
}

void TestDefensePanel::cancelLeavesNoPostTrainFile()
{
    DefensePanel panel;
    QSignalSpy cancelled(panel.runner(), &ui::JobRunner::cancelled);
    QSignalSpy finished(panel.runner(), &ui::JobRunner::finished);
    panel.setRuns({q(m_dir / "cancel-copy"), QString()}); // a copy, so the other case's file stays
    fs::copy(m_run, m_dir / "cancel-copy", fs::copy_options::recursive);
    fs::remove(m_dir / "cancel-copy" / "results" / "defense" / "posttrain.json");
    panel.setRuns({q(m_dir / "cancel-copy"), QString()});
    panel.setEpochs(50);
    QVERIFY(panel.start());
    panel.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + finished.count() == 1, kJobMs);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!fs::exists(m_dir / "cancel-copy" / "results" / "defense" / "posttrain.json"));
    QVERIFY(panel.statusText().contains(QStringLiteral("Cancelled")));
}

void TestDefensePanel::defendsAndChartsEveryEpochPerLearningRate()
{
    DefensePanel panel;
    panel.resize(1200, 800);
    QSignalSpy done(&panel, &DefensePanel::defenseFinished);
    QSignalSpy progress(panel.runner(), &ui::JobRunner::progress);
    panel.setRuns({q(m_run), QString()});
    // The run's filter is shown before any defense: its ROC.
    QVERIFY(panel.results()->rocChart()->placeholder().isEmpty());
    QVERIFY(!panel.results()->postTrainingChart()->placeholder().isEmpty()); // no posttrain.json yet
    panel.setEpochs(1);
    panel.setLearningRates(QStringLiteral("1e-3, 1e-5"));
    const json config = panel.defenseConfig();
    QCOMPARE(config["defenses"][0]["plugin"].get<std::string>(), std::string("defense-clean-finetune"));
    QCOMPARE(config["defenses"][0]["options"]["dataset"].get<std::string>(), std::string("toy"));
    QVERIFY(panel.start());
    QVERIFY(panel.isBusy());
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty() || !panel.isBusy(), kJobMs);
    QVERIFY2(!done.isEmpty(), qPrintable(panel.statusText()));
    QVERIFY(!progress.isEmpty());
    QVERIFY(fs::is_regular_file(m_run / "results" / "defense" / "posttrain.json"));

    // One line per learning rate, a point per epoch (0 = the poisoned model, 1 after fine-tuning).
    for (ui::LineChartWidget *chart :
         {panel.results()->postTrainingChart(), panel.results()->postTrainingUtilityChart()}) {
        QVERIFY(chart->placeholder().isEmpty());
        QCOMPARE(chart->seriesCount(), 2);
        QCOMPARE(chart->series(0)->name(), QStringLiteral("lr 0.001"));
        QCOMPARE(chart->series(1)->name(), QStringLiteral("lr 1e-05"));
        for (int s = 0; s < 2; ++s) {
            QCOMPARE(chart->series(s)->count(), 2);
            QCOMPARE(chart->series(s)->at(0).x(), 0.0);
            QCOMPARE(chart->series(s)->at(1).x(), 1.0);
        }
    }
    // The curves are posttrain.json's: epoch 0 of each lr is the poisoned model itself.
    const json posttrain = readJsonFile(m_run / "results" / "defense" / "posttrain.json");
    QCOMPARE(posttrain["runs"].size(), std::size_t(2));
    const double rMean0 = posttrain["runs"][1]["evaluations"][0]["utility"]["r_mean"].get<double>();
    QCOMPARE(panel.results()->postTrainingUtilityChart()->series(1)->at(0).y(), rMean0);
    QVERIFY(panel.results()->postTrainingModel()->rowCount() >= 4); // 2 lrs x 2 epochs
    QVERIFY(panel.results()->rocChart()->placeholder().isEmpty());
}

POISONLAB_TEST_MAIN(TestDefensePanel)
#include "tst_defensepanel.moc"
