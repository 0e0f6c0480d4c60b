// The class-pair grid view on the golden run of tests/data/report: its cells are
// minrank_grid.json's numbers under either metric, hover tells a cell's values, a click on a
// cell asks for that attack (not on the diagonal); a run without the file says so and Compute
// makes it from the run's evaluation record (the file appears, whole, with the grid's values);
// a run without a record or with a malformed file says which file.
#include "TestSupport.h"

#include "analysis/ClassPairGridView.h"
#include "charts/ChartExporter.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Npy.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QImage>
#include <QPushButton>
#include <QSignalSpy>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::ClassPairGridView;
using poisonlab::ui::GridMetric;
namespace fs = std::filesystem;

namespace {

QString qs(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

fs::path goldenRun()
{
    return test::testDataDir() / "report" / "attack-run";
}

// A copy of the golden run without its grid, and with a tiny evaluation record: images
// a=(1,0), b=(0,1), c=(0.6,0.8); one caption of a at (1,0), one of b at (0,1).
void makeRunWithRecord(const fs::path &run)
{
    fs::create_directories(run);
    fs::copy_file(goldenRun() / "run.json", run / "run.json");
    const fs::path dir = run / "results" / "embeddings" / "final";
    const float images[] = {1, 0, 0, 1, 0.6f, 0.8f};
    const float captions[] = {1, 0, 0, 1};
    writeNpy(dir / "images.npy", images, {3, 2});
    writeNpy(dir / "captions.npy", captions, {2, 2});
    writeJsonAtomically(dir / "index.json",
                        {{"classes", {"a", "b", "c"}},
                         {"images", {{{"class", "a"}}, {{"class", "b"}}, {{"class", "c"}}}},
                         {"captions", {{{"class", "a"}, {"image_row", 0}}, {{"class", "b"}, {"image_row", 1}}}}});
}

bool waitForGrid(ClassPairGridView &view)
{
    QSignalSpy shown(&view, &ClassPairGridView::gridShown);
    QSignalSpy unavailable(&view, &ClassPairGridView::gridUnavailable);
    return QTest::qWaitFor([&] { return !shown.isEmpty() || !unavailable.isEmpty(); }, 10000) && !shown.isEmpty();
}

} // namespace

class TestClassPairGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cellsEqualTheFile_data();
    void cellsEqualTheFile();
    void hoverTellsTheCellsValues();
    void clickAsksForThePair_data();
    void clickAsksForThePair();
    void missingGridIsComputedAndKept();
    void computeWithoutARecordNamesIt();
    void malformedFileIsNamed();
    void exportIsLightOnADarkScreen();

private:
    void showGolden(ClassPairGridView &view)
    {
        view.resize(760, 600);
        view.setRuns({qs(goldenRun()), {}});
        QVERIFY(waitForGrid(view));
    }
};

void TestClassPairGrid::cellsEqualTheFile_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    for (const char *a : {"aeroplane", "bird", "sheep", "sofa"})
        for (const char *b : {"aeroplane", "sheep", "sofa"})
            QTest::newRow(qPrintable(QStringLiteral("%1->%2").arg(a, b))) << a << b;
}

void TestClassPairGrid::cellsEqualTheFile()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    const json file = readJsonFile(goldenRun() / "results" / "analysis" / "minrank_grid.json");
    const auto classes = file["classes"].get<std::vector<std::string>>();
    const int row = int(std::find(classes.begin(), classes.end(), source.toStdString()) - classes.begin());
    const int column = int(std::find(classes.begin(), classes.end(), target.toStdString()) - classes.begin());
    ClassPairGridView view;
    showGolden(view);
    for (const auto &[metric, key] :
         {std::pair{GridMetric::MinRank, "minrank_mean"}, std::pair{GridMetric::HitAtK, "hit@10"}}) {
        view.setMetric(metric);
        const json &cell = file[key][row][column];
        const auto shown = view.heatmap()->value(row, column);
        QCOMPARE(shown.has_value(), !cell.is_null());
        if (shown)
            QCOMPARE(*shown, cell.get<double>());
    }
}

void TestClassPairGrid::hoverTellsTheCellsValues()
{
    ClassPairGridView view;
    showGolden(view);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    auto *map = view.heatmap();
    QTest::mouseMove(map, map->cellRect(2, 0).center().toPoint()); // sheep -> aeroplane
    QTRY_VERIFY(!map->hoverText().isEmpty());
    for (const char *part : {"sheep → aeroplane", "MinRank 1.26", "Hit@10 93.0 %"})
        QVERIFY2(map->hoverText().contains(QString::fromUtf8(part)), qPrintable(map->hoverText()));
    QCOMPARE(view.hoverLine(), map->hoverText());
}

void TestClassPairGrid::clickAsksForThePair_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("source"); // empty: no request
    QTest::addColumn<QString>("target");
    QTest::newRow("sheep->aeroplane") << 2 << 0 << "sheep"
                                      << "aeroplane";
    QTest::newRow("sofa->bird") << 3 << 1 << "sofa"
                                << "bird";
    QTest::newRow("aeroplane->sofa") << 0 << 3 << "aeroplane"
                                     << "sofa";
    QTest::newRow("diagonal") << 1 << 1 << ""
                              << "";
}

void TestClassPairGrid::clickAsksForThePair()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, source);
    QFETCH(QString, target);
    ClassPairGridView view;
    showGolden(view);
    QSignalSpy asked(&view, &ClassPairGridView::designAttackRequested);
    QTest::mouseClick(view.heatmap(), Qt::LeftButton, {}, view.heatmap()->cellRect(row, column).center().toPoint());
    if (source.isEmpty()) {
        QCOMPARE(asked.size(), 0);
        return;
    }
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked[0][0].toString(), source);
    QCOMPARE(asked[0][1].toString(), target);
}

void TestClassPairGrid::missingGridIsComputedAndKept()
{
    test::TempDir dir;
    const fs::path run = dir / "run";
    makeRunWithRecord(run);
    ClassPairGridView view;
    view.setRuns({qs(run), {}});
    QVERIFY(!waitForGrid(view));
    QVERIFY2(view.messageText().contains(QStringLiteral("no class-pair grid")), qPrintable(view.messageText()));
    QVERIFY(!view.computeButton()->isHidden());
    view.computeButton()->click();
    QVERIFY2(waitForGrid(view), qPrintable(view.messageText()));
    const fs::path file = run / "results" / "analysis" / "minrank_grid.json";
    QVERIFY(fs::is_regular_file(file));
    const json written = readJsonFile(file);
    // a's caption: 2 images above b's best, 1 above c's.
    QCOMPARE(written["minrank_mean"][0][1].get<double>(), 2.0);
    QCOMPARE(*view.heatmap()->value(0, 1), 2.0);
    QCOMPARE(*view.heatmap()->value(0, 2), 1.0);
    QVERIFY(!view.heatmap()->value(2, 0)); // no captions of c
    // Opened again, the kept file is read.
    ClassPairGridView again;
    again.setRuns({qs(run), {}});
    QVERIFY(waitForGrid(again));
    QCOMPARE(*again.heatmap()->value(1, 0), 2.0);
}

void TestClassPairGrid::computeWithoutARecordNamesIt()
{
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::create_directories(run);
    fs::copy_file(goldenRun() / "run.json", run / "run.json");
    ClassPairGridView view;
    view.setRuns({qs(run), {}});
    QVERIFY(!waitForGrid(view));
    view.compute();
    QVERIFY(!waitForGrid(view));
    QVERIFY2(view.messageText().contains(qs(run / "results" / "embeddings" / "final")), qPrintable(view.messageText()));
    QVERIFY(!fs::exists(run / "results" / "analysis" / "minrank_grid.json"));
}

void TestClassPairGrid::malformedFileIsNamed()
{
    test::TempDir dir;
    const fs::path file = dir / "run" / "results" / "analysis" / "minrank_grid.json";
    test::writeText(file, R"({"classes": ["a", "b"], "minrank_mean": [[1]]})");
    ClassPairGridView view;
    view.setRuns({qs(dir / "run"), {}});
    QVERIFY(!waitForGrid(view));
    QVERIFY2(view.messageText().contains(qs(file)), qPrintable(view.messageText()));
    QVERIFY(!view.computeButton()->isHidden());
}

void TestClassPairGrid::exportIsLightOnADarkScreen()
{
    const QPalette before = QApplication::palette();
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, Qt::white);
    QApplication::setPalette(dark);
    ClassPairGridView view;
    showGolden(view);
    test::TempDir dir;
    QString error;
    const QString path = qs(dir / "grid.png");
    QVERIFY2(view.exportTo(path, QSize(640, 480), &error), qPrintable(error));
    const bool darkOnScreen = view.heatmap()->palette().color(QPalette::Window).lightnessF() < 0.5;
    QApplication::setPalette(before);
    QVERIFY(darkOnScreen);
    const QImage image(path);
    QCOMPARE(image.size(), QSize(1280, 960));
    QVERIFY(QColor(image.pixel(4, 4)).lightnessF() > 0.95); // a white page
    QVERIFY(QColor(image.pixel(image.width() - 4, image.height() - 4)).lightnessF() > 0.95);
}

POISONLAB_TEST_MAIN(TestClassPairGrid)
#include "tst_classpairgrid.moc"
