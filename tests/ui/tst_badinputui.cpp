// The bad-input corpus (tests/data/bad/; the CLI side is tests/unit/tst_badinput.cpp) through the
// workbench's open paths, the same objects its menus use: File > Open dataset
// (MainWindow::openDataset), the experiment's Open (ExperimentFileActions::open), the Train
// step's weights (ModelPicker::showWeights) and File > Open run (MainWindow::openRun). Each case
// shows an error naming the file and the problem (or, for what is only partly bad, opens and
// lists what was left out), the case's files stay as they were, and the window keeps working:
// a good dataset opens afterwards.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/PairBrowser.h"
#include "browser/PairTableModel.h"
#include "dataset/DatasetController.h"
#include "experiment/ExperimentFileActions.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/report/RunResults.h"
#include "results/RunViewer.h"
#include "train/ModelPicker.h"
#include "train/TrainPanel.h"
#include "window/MainWindow.h"

#include <QMessageBox>
#include <QStatusBar>
#include <QTableView>

#include <nlohmann/json.hpp>

#include <map>

using namespace poisonlab;
using poisonlab::ui::MainWindow;
namespace fs = std::filesystem;

namespace {

fs::path bad(const QString &relative)
{
    return test::testDataDir() / "bad" / relative.toStdString();
}

data::DatasetSource source(const std::string &format, const fs::path &root)
{
    data::DatasetSource s;
    s.format = format;
    s.root = root;
    return s;
}

/// The window still works: a good dataset opens and shows its pairs.
void opensAGoodDataset(MainWindow &window)
{
    test::TempDir dir;
    test::writePascalLayout(dir.path(), {"dog"}, 1, 5);
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(source("pascal-sentences", dir.path()));
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY2(ended.first().at(0).toBool(), window.errorBox() ? qPrintable(window.errorBox()->text()) : "failed");
    QCOMPARE(window.browser()->model()->rowCount(), 5);
}

} // namespace

class TestBadInputUi : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void datasetShowsTheProblem_data();
    void datasetShowsTheProblem();
    void experimentShowsTheProblem_data();
    void experimentShowsTheProblem();
    void weightsShowTheProblem_data();
    void weightsShowTheProblem();
    void runFolderShowsTheProblem_data();
    void runFolderShowsTheProblem();
    void poisonedPairsNotInTheDataset();
};

void TestBadInputUi::datasetShowsTheProblem_data()
{
    QTest::addColumn<QString>("root");
    QTest::addColumn<QString>("format");
    QTest::addColumn<bool>("opens"); // opens with the bad item in the skipped-items panel
    QTest::addColumn<QStringList>("shows");
    QTest::newRow("coco-annotation-cut") << "coco-annotation-cut"
                                         << "coco" << false
                                         << QStringList{"captions_train2017.json",
                                                        "invalid JSON at line 1, column 145"};
    QTest::newRow("csv-annotations-missing")
        << "csv-annotations-missing"
        << "csv" << false << QStringList{"csv-annotations-missing", "no CSV/TSV file"};
    QTest::newRow("csv-image-not-an-image")
        << "csv-image-not-an-image"
        << "csv" << true << QStringList{"img/blue.png", "not an image (unrecognised file header)"};
    QTest::newRow("csv-caption-latin1") << "csv-caption-latin1"
                                        << "csv" << true
                                        << QStringList{"captions.csv line 3", "caption is not valid UTF-8"};
    QTest::newRow("csv-image-path-escapes")
        << "csv-image-path-escapes/root"
        << "csv" << true << QStringList{"../outside.png", "image path escapes the dataset root"};
}

void TestBadInputUi::datasetShowsTheProblem()
{
    QFETCH(QString, root);
    QFETCH(QString, format);
    QFETCH(bool, opens);
    QFETCH(QStringList, shows);
    const fs::path caseDir = bad(root.section('/', 0, 0));
    const auto before = test::filesUnder(caseDir);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(source(format.toStdString(), bad(root)));
    QTRY_COMPARE(ended.count(), 1);
    QCOMPARE(ended.first().at(0).toBool(), opens);
    QString shown;
    if (opens) {
        // The skipped-items panel lists the item with its reason.
        const QAbstractItemModel *skipped = window.skippedView()->model();
        QCOMPARE(skipped->rowCount(), 1);
        for (int c = 0; c < skipped->columnCount(); ++c)
            shown += skipped->index(0, c).data().toString() + " ";
    } else {
        QVERIFY(window.errorBox());
        QVERIFY(window.errorBox()->isVisible());
        shown = window.errorBox()->text() + " " + window.errorBox()->informativeText();
        QVERIFY(!window.dataset());
        window.errorBox()->close();
    }
    for (const QString &want : shows)
        QVERIFY2(shown.contains(want), qPrintable("\"" + want + "\" not in: " + shown));
    QVERIFY2(test::filesUnder(caseDir) == before, "the case's files changed");
    opensAGoodDataset(window);
}

void TestBadInputUi::experimentShowsTheProblem_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("shows");
    QTest::newRow("config-wrong-type") << "config-wrong-type/config.json"
                                       << "'epochs' must be an integer, got \"two\"";
    QTest::newRow("config-unknown-key") << "config-unknown-key/config.json"
                                        << "unknown key \"trainng\" (did you mean \"training\"?)";
}

void TestBadInputUi::experimentShowsTheProblem()
{
    QFETCH(QString, config);
    QFETCH(QString, shows);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::ExperimentFileActions *files = window.experimentFiles();
    const QString nameBefore = files->displayName();
    QVERIFY(!files->open(QString::fromStdString(bad(config).string())));
    // The window's message box, as after File > Open experiment.
    QMessageBox *box = nullptr;
    QTRY_VERIFY((box = window.findChild<QMessageBox *>("experimentErrorBox")) && box->isVisible());
    const QString shown = box->text();
    QVERIFY2(shown.contains(config.section('/', 0, 0) + "/config.json"), qPrintable(shown));
    QVERIFY2(shown.contains(shows), qPrintable(shown));
    QCOMPARE(files->displayName(), nameBefore); // the draft is the one before
    box->close();
    opensAGoodDataset(window);
}

void TestBadInputUi::weightsShowTheProblem_data()
{
    QTest::addColumn<QString>("weights");
    QTest::addColumn<QString>("shows");
    QTest::newRow("weights-truncated") << "weights-truncated/model.safetensors"
                                       << "is the file truncated?";
    QTest::newRow("weights-text-file") << "weights-text-file/model.pt"
                                       << "corrupt safetensors file";
    QTest::newRow("weights-empty") << "weights-empty/model.safetensors"
                                   << "not a safetensors file";
}

void TestBadInputUi::weightsShowTheProblem()
{
    QFETCH(QString, weights);
    QFETCH(QString, shows);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::ModelPicker *picker = window.trainPanel()->modelPicker();
    QSignalSpy described(picker, &ui::ModelPicker::described);
    picker->showWeights(QString::fromStdString(bad(weights).string()));
    QTRY_VERIFY(!described.isEmpty() && !picker->isLoading());
    QCOMPARE(described.last().at(0).toBool(), false);
    QVERIFY2(picker->error().contains(weights), qPrintable(picker->error()));
    QVERIFY2(picker->error().contains(shows), qPrintable(picker->error()));
    opensAGoodDataset(window);
}

void TestBadInputUi::runFolderShowsTheProblem_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<bool>("opens"); // opens, and lists the bad part among its problems
    QTest::addColumn<QString>("shows");
    QTest::newRow("run-json-cut") << "run-json-cut" << false << "run-json-cut/run.json: invalid JSON at line 6";
    QTest::newRow("run-json-wrong-type") << "run-json-wrong-type" << false
                                         << "run.json: \"datasets\"[0].\"images\" must be an integer, got \"2\"";
    QTest::newRow("run-final-wrong-type")
        << "run-final-wrong-type" << false << "results/final.json: \"evaluation\": evaluation \"utility\"";
    QTest::newRow("run-not-a-run") << "run-not-a-run" << false << "is not a PoisonLab run directory";
    QTest::newRow("run-metrics-cut") << "run-metrics-cut" << true << "metrics.jsonl: line 2: not JSON";
    // Opens, the defense results' wrong values shown as absent (this ended the app: the results
    // view read prefilter.json and posttrain.json with json::value).
    QTest::newRow("run-defense-wrong-type") << "run-defense-wrong-type" << true << "";
}

void TestBadInputUi::runFolderShowsTheProblem()
{
    QFETCH(QString, run);
    QFETCH(bool, opens);
    QFETCH(QString, shows);
    const auto before = test::filesUnder(bad(run));
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    ui::RunViewer *viewer = window.runViewer();
    QSignalSpy failed(viewer, &ui::RunViewer::runFailed);
    QSignalSpy opened(viewer, &ui::RunViewer::runOpened);
    window.openRun(QString::fromStdString(bad(run).string()));
    QTRY_VERIFY(failed.count() + opened.count() == 1);
    QCOMPARE(opened.count(), opens ? 1 : 0);
    QString shown = viewer->errorText();
    if (opens)
        for (const auto &p : viewer->results()->problems)
            shown += QString::fromStdString(p.text()) + "\n";
    QVERIFY2(shown.contains(shows), qPrintable(shown));
    QVERIFY2(test::filesUnder(bad(run)) == before, "the case's files changed");
    opensAGoodDataset(window);
}

void TestBadInputUi::poisonedPairsNotInTheDataset()
{
    // A copy, so that the run's config can name its dataset by absolute path as a real run's does.
    test::TempDir tmp;
    fs::copy(bad("run-poison-pairs-missing"), tmp / "run", fs::copy_options::recursive);
    nlohmann::json config = readJsonFile(tmp / "run/config.json");
    config["datasets"]["squares"]["root"] = (tmp / "run/data").string();
    writeJsonAtomically(tmp / "run/config.json", config);
    const auto before = test::filesUnder(tmp / "run");

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(source("csv", tmp / "run/data"));
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(ended.first().at(0).toBool());
    QSignalSpy opened(window.runViewer(), &ui::RunViewer::runOpened);
    window.openRun(QString::fromStdString((tmp / "run").string()));
    QTRY_COMPARE(opened.count(), 1);
    QTRY_VERIFY2(window.statusBar()->currentMessage().contains("None of the poisoned pairs of run bad"),
                 qPrintable(window.statusBar()->currentMessage()));
    QCOMPARE(window.dataset()->captions.size(), std::size_t(2));
    for (const auto &c : window.dataset()->captions)
        QVERIFY(!c.poisoned); // nothing marked from pairs that are not there
    QVERIFY2(test::filesUnder(tmp / "run") == before, "the run's files changed");

    // A manifest whose pairs are not even objects: listed as a problem, nothing marked, no crash.
    nlohmann::json manifest = readJsonFile(tmp / "run/poison/manifest.json");
    manifest["pairs"].push_back("not a pair");
    writeJsonAtomically(tmp / "run/poison/manifest.json", manifest);
    window.openRun(QString::fromStdString((tmp / "run").string()));
    QTRY_COMPARE(opened.count(), 2);
    QString problems;
    for (const auto &p : window.runViewer()->results()->problems)
        problems += QString::fromStdString(p.text()) + "\n";
    QVERIFY2(problems.contains("manifest.json: \"pairs\"[2] must be a JSON object, got \"not a pair\""),
             qPrintable(problems));
    for (const auto &c : window.dataset()->captions)
        QVERIFY(!c.poisoned);
    opensAGoodDataset(window);
}

POISONLAB_TEST_MAIN(TestBadInputUi)
#include "tst_badinputui.moc"
