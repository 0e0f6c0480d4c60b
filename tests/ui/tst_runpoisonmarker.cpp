// A run's poisoned pairs in the pair browser: RunPoisonMarker matches poison/manifest.json's
// pairs by image path and caption text; the main window marks them when the open dataset is the
// run's, or offers to open that dataset and marks it once open.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/PairBrowser.h"
#include "browser/PairFilterBar.h"
#include "browser/PairFilterProxyModel.h"
#include "results/RunPoisonMarker.h"
#include "results/RunViewer.h"
#include "window/MainWindow.h"

#include <QComboBox>
#include <QPushButton>

#include <fstream>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::MainWindow;
using poisonlab::ui::RunPoisonMarker;
namespace fs = std::filesystem;

class TestRunPoisonMarker : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void marksPairsByPathAndText();
    void recognisesTheRunsDataset();
    void matchesARunToTheOpenDataset_data();
    void matchesARunToTheOpenDataset();
    void openRunMarksTheOpenDataset();
    void openRunOffersTheDataset();
};

namespace {

json pair(const std::string &text, const std::string &from, const std::string &to)
{
    return {{"caption", 0},
            {"text", text},
            {"original_path", from},
            {"new_path", to},
            {"source_class", "sheep"},
            {"target_class", "aeroplane"},
            {"goal", 0}};
}

// Pascal layout: dataset/<class>/<class>_<n>.png, captions "A <class> picture number <n>, sentence <s>."
json manifestFor(int pairs)
{
    json m = {{"format", "poisonlab-poison-manifest"},
              {"attack", "attack-single-target-label"},
              {"poisoned_pairs", pairs},
              {"training_pairs", 30},
              {"phi", pairs / 30.0},
              {"rate", 1.0},
              {"pairs", json::array()}};
    for (int s = 0; s < pairs; ++s)
        m["pairs"].push_back(pair("A sheep picture number 0, sentence " + std::to_string(s) + ".",
                                  "dataset/sheep/sheep_0.png", "dataset/aeroplane/aeroplane_1.png"));
    return m;
}

// A finished run (the golden attack run) whose config names `root` and whose manifest poisons
// three captions of sheep_0.
fs::path writeRun(const fs::path &dir, const fs::path &root)
{
    const fs::path run = dir / "run";
    fs::copy(test::testDataDir() / "report" / "attack-run", run, fs::copy_options::recursive);
    json config = json::parse(std::ifstream(run / "config.json"));
    config["datasets"] = {{"pascal", {{"format", "pascal-sentences"}, {"root", root.string()}}}};
    config["train"] = {{"datasets", {"pascal"}}, {"split", "train"}};
    test::writeText(run / "config.json", config.dump(1));
    test::writeText(run / "poison/manifest.json", manifestFor(3).dump(1));
    return run;
}

data::DatasetSource pascalSource(const fs::path &root)
{
    data::DatasetSource source;
    source.format = "pascal-sentences";
    source.root = root;
    return source;
}

} // namespace

void TestRunPoisonMarker::marksPairsByPathAndText()
{
    const auto clean = test::goldenDataset();
    json manifest = {{"pairs",
                      {pair("A sheep stands in a field.", "sheep/s1.png", "aeroplane/a1.png"),
                       pair("Sheep on grass.", "sheep/s1.png", "aeroplane/a1.png"),
                       pair("Not a caption of this dataset.", "sheep/s1.png", "aeroplane/a1.png"),
                       pair("Sheep on grass.", "sheep/missing.png", "aeroplane/a1.png")}}};
    const auto result = RunPoisonMarker::mark(*clean, manifest);
    QCOMPARE(result.marked, 2);
    QCOMPARE(result.unmatched, 2);
    QVERIFY(result.dataset);
    for (int c : {5, 9}) {
        const auto &caption = result.dataset->captions[c];
        QVERIFY(caption.poisoned);
        QCOMPARE(caption.image, 5);         // the aeroplane picture
        QCOMPARE(caption.originalImage, 4); // the sheep picture it was written for
    }
    QVERIFY(!clean->captions[5].poisoned); // the open dataset itself is not changed
    QVERIFY(!RunPoisonMarker::mark(*clean, json{{"pairs", json::array()}}).dataset);
}

void TestRunPoisonMarker::recognisesTheRunsDataset()
{
    test::TempDir dir;
    test::writePascalLayout(dir / "pascal", {"aeroplane", "sheep"}, 2, 5);
    data::Dataset dataset;
    dataset.format = "pascal-sentences";
    dataset.root = dir / "pascal";
    const json config = {{"datasets",
                          {{"flickr", {{"format", "coco"}, {"root", (dir / "coco").string()}}},
                           {"pascal", {{"format", "pascal-sentences"}, {"root", (dir / "pascal/.").string()}}}}},
                         {"train", {{"datasets", {"flickr", "pascal"}}}}};
    QVERIFY(RunPoisonMarker::isRunDataset(dataset, config));
    dataset.format = "csv";
    QVERIFY(!RunPoisonMarker::isRunDataset(dataset, config));
    // The dataset holding the first poisoned pair's image, not simply the first trained on.
    const auto source = RunPoisonMarker::trainingSource(config, manifestFor(1));
    QVERIFY(source);
    QCOMPARE(source->format, std::string("pascal-sentences"));
}

void TestRunPoisonMarker::matchesARunToTheOpenDataset_data()
{
    QTest::addColumn<int>("pairs");        // poisoned pairs in the manifest
    QTest::addColumn<bool>("open");        // a dataset is open
    QTest::addColumn<bool>("runsDataset"); // the open dataset is the run's
    QTest::addColumn<bool>("inDataset");   // the manifest's pairs are in the open dataset
    QTest::addColumn<int>("kind");
    using Kind = RunPoisonMarker::RunMatch::Kind;
    QTest::newRow("clean run") << 0 << true << true << true << int(Kind::NoPoison);
    QTest::newRow("the run's dataset") << 2 << true << true << true << int(Kind::Marked);
    QTest::newRow("the run's dataset, pairs not in it") << 2 << true << true << false << int(Kind::NothingMatched);
    QTest::newRow("another dataset") << 2 << true << false << true << int(Kind::OtherDataset);
    QTest::newRow("no dataset open") << 2 << false << false << true << int(Kind::OtherDataset);
}

void TestRunPoisonMarker::matchesARunToTheOpenDataset()
{
    QFETCH(int, pairs);
    QFETCH(bool, open);
    QFETCH(bool, runsDataset);
    QFETCH(bool, inDataset);
    QFETCH(int, kind);
    auto clean = std::make_shared<data::Dataset>(*test::goldenDataset());
    clean->format = "pascal-sentences";
    clean->root = runsDataset ? "/data/pascal" : "/data/other";
    const json config = {{"datasets", {{"pascal", {{"format", "pascal-sentences"}, {"root", "/data/pascal"}}}}},
                         {"train", {{"datasets", {"pascal"}}}}};
    json manifest = {{"pairs", json::array()}};
    for (int p = 0; p < pairs; ++p)
        manifest["pairs"].push_back(pair(p == 0 ? "A sheep stands in a field." : "Sheep on grass.",
                                         inDataset ? "sheep/s1.png" : "sheep/missing.png", "aeroplane/a1.png"));
    const auto match = RunPoisonMarker::matchRun(open ? clean.get() : nullptr, config, manifest);
    QCOMPARE(int(match.kind), kind);
    QCOMPARE(bool(match.marking.dataset), kind == int(RunPoisonMarker::RunMatch::Kind::Marked));
    if (match.marking.dataset)
        QCOMPARE(match.marking.marked, pairs);
    if (kind == int(RunPoisonMarker::RunMatch::Kind::OtherDataset)) {
        QVERIFY(match.source); // offered: the run's training dataset
        QCOMPARE(match.source->root, std::filesystem::path("/data/pascal"));
    }
}

void TestRunPoisonMarker::openRunMarksTheOpenDataset()
{
    test::TempDir dir;
    test::writePascalLayout(dir / "pascal", {"aeroplane", "cat", "sheep"}, 2, 5);
    const fs::path run = writeRun(dir.path(), dir / "pascal");
    MainWindow window;
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.openDataset(pascalSource(dir / "pascal"));
    QTRY_COMPARE(ended.count(), 1);
    QSignalSpy opened(window.runViewer(), &ui::RunViewer::runOpened);
    window.openRun(QString::fromStdString(run.string())); // read on a thread
    QTRY_COMPARE(opened.count(), 1);
    const auto &dataset = window.dataset();
    QCOMPARE(std::count_if(dataset->captions.begin(), dataset->captions.end(),
                           [](const data::CaptionRecord &c) { return c.poisoned; }),
             3L);
    // The browser filters to the poisoned pairs: three sheep captions on the aeroplane picture.
    QCOMPARE(window.browser()->filterBar()->poisonBox()->currentIndex(), 1);
    window.browser()->proxy()->setOnePerImage(false);
    QCOMPARE(window.browser()->proxy()->rowCount(), 3);
    QVERIFY(!window.runViewer()->offeredDataset());
}

void TestRunPoisonMarker::openRunOffersTheDataset()
{
    test::TempDir dir;
    test::writePascalLayout(dir / "pascal", {"aeroplane", "cat", "sheep"}, 2, 5);
    const fs::path run = writeRun(dir.path(), dir / "pascal");
    MainWindow window;
    QSignalSpy opened(window.runViewer(), &ui::RunViewer::runOpened);
    window.openRun(QString::fromStdString(run.string()));
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY(!window.dataset());
    QVERIFY(window.runViewer()->offeredDataset());
    QCOMPARE(window.runViewer()->offeredDataset()->root, dir / "pascal");
    QSignalSpy ended(&window, &MainWindow::openingEnded);
    window.runViewer()->findChild<QPushButton *>(QStringLiteral("openRunDataset"))->click();
    QTRY_COMPARE(ended.count(), 1);
    QVERIFY(window.dataset());
    QCOMPARE(std::count_if(window.dataset()->captions.begin(), window.dataset()->captions.end(),
                           [](const data::CaptionRecord &c) { return c.poisoned; }),
             3L);
}

POISONLAB_TEST_MAIN(TestRunPoisonMarker)
#include "tst_runpoisonmarker.moc"
