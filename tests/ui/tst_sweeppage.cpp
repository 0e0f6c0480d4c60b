// The sweep page on the golden sweep indexes of tests/data/sweep, with tiny cell run folders made
// here (run.json with a state, results/final.json with known figures): the table lists every cell
// with its state, swept values and figures; the charts' points are the finished cells' figures,
// a line per value of the other axis; unfinished cells are neither plotted nor shown as 0; a
// class-pair sweep fills the class-pair grid at the attacked pairs only, a click opening that
// cell's run; a broken or missing sweep.json is said naming the file.
#include "TestSupport.h"

#include "analysis/ClassPairHeatmap.h"
#include "charts/LineChartWidget.h"
#include "poisonlab/core/AtomicFile.h"
#include "results/ResultsPage.h"
#include "results/RunViewer.h"
#include "style/StatusColors.h"
#include "sweep/SweepCellModel.h"
#include "sweep/SweepChartsView.h"
#include "sweep/SweepClassPairView.h"
#include "sweep/SweepPage.h"
#include "window/FlowBar.h"
#include "window/MainWindow.h"
#include "window/RecentItems.h"

#include <nlohmann/json.hpp>

#include <QAbstractAxis>
#include <QChart>
#include <QComboBox>
#include <QLineSeries>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>

#include <map>
#include <optional>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::SweepPage;
namespace fs = std::filesystem;

namespace {

QString qs(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

/// A finished cell's figures (what its final.json says).
struct Figures {
    double hit10, minRank, r10, rMean;
};

/// The cells of the rate sweep: rate x seed. Missing from the map: no run folder (pending).
struct RateCell {
    std::string name;
    double rate;
    int seed;
    std::string state;
    std::optional<Figures> figures;
};

const std::vector<RateCell> &rateCells()
{
    static const std::vector<RateCell> cells = {
        {"rate=0.25_seed=0", 0.25, 0, "finished", Figures{0.2, 30.5, 0.52, 0.31}},
        {"rate=0.25_seed=1", 0.25, 1, "finished", Figures{0.3, 25.25, 0.5, 0.3}},
        {"rate=0.5_seed=0", 0.5, 0, "finished", Figures{0.5, 12.0, 0.49, 0.29}},
        {"rate=0.5_seed=1", 0.5, 1, "running", std::nullopt},
        {"rate=1_seed=0", 1.0, 0, "finished", Figures{0.8, 4.5, 0.47, 0.28}},
        {"rate=1_seed=1", 1.0, 1, "pending", std::nullopt}, // no run folder at all
    };
    return cells;
}

json rankFigures(double hit10, double minRank)
{
    return {{"hit@1", hit10 / 4}, {"hit@5", hit10 / 2}, {"hit@10", hit10}, {"minrank_mean", minRank}, {"queries", 5}};
}

json goalJson(const std::string &source, const std::string &target, double hit10, double minRank)
{
    return {{"name", source + "->" + target},
            {"source_class", source},
            {"target_classes", {target}},
            {"query_split", "test"},
            {"attack", rankFigures(hit10, minRank)},
            {"baseline", rankFigures(0.01, 90)}};
}

/// A run folder in `state`; a finished one gets results/final.json with `goals` and the utility.
void writeRun(const fs::path &run, const std::string &state, const json &goals, double r10, double rMean)
{
    json manifest = readJsonFile(test::testDataDir() / "report" / "attack-run" / "run.json");
    manifest["status"] = state;
    if (state == "failed")
        manifest["error"] = "out of memory";
    fs::create_directories(run);
    writeJsonAtomically(run / "run.json", manifest);
    if (state != "finished")
        return;
    const json evaluation = {{"split", "test"},
                             {"attacks", goals},
                             {"utility",
                              {{"r_mean", rMean},
                               {"image_retrieval", {{"r1", r10 / 3}, {"r5", r10 / 2}, {"r10", r10}}},
                               {"text_retrieval", {{"r1", 0.1}, {"r5", 0.2}, {"r10", 0.3}}}}}};
    writeJsonAtomically(run / "results" / "final.json", {{"name", "cell"}, {"evaluation", evaluation}});
}

fs::path cellRun(const fs::path &sweep, const std::string &name)
{
    return sweep / "cells" / name / "run";
}

/// The golden rate sweep with its cells' run folders.
fs::path makeRateSweep(const fs::path &dir)
{
    const fs::path sweep = dir / "rate-sweep";
    fs::create_directories(sweep);
    fs::copy_file(test::testDataDir() / "sweep" / "rate" / "sweep.json", sweep / "sweep.json");
    for (const RateCell &c : rateCells()) {
        if (c.state == "pending")
            continue;
        const Figures f = c.figures.value_or(Figures{0, 0, 0, 0});
        writeRun(cellRun(sweep, c.name), c.state, json::array({goalJson("sheep", "aeroplane", f.hit10, f.minRank)}),
                 f.r10, f.rMean);
    }
    return sweep;
}

/// The golden class-pair sweep: sheep→aeroplane and sheep→cow finished, dog→aeroplane running,
/// cat→dog failed. Each final.json also measures another goal first, which the grid must not take.
fs::path makePairSweep(const fs::path &dir)
{
    const fs::path sweep = dir / "pair-sweep";
    fs::create_directories(sweep);
    fs::copy_file(test::testDataDir() / "sweep" / "pairs" / "sweep.json", sweep / "sweep.json");
    auto finished = [&](const std::string &source, const std::string &target, double hit10, double minRank) {
        const json goals = {goalJson("horse", "bus", 0.99, 0.5), goalJson(source, target, hit10, minRank)};
        writeRun(cellRun(sweep, "source+target=" + source + "+" + target), "finished", goals, 0.5, 0.3);
    };
    finished("sheep", "aeroplane", 0.824, 4.56);
    finished("sheep", "cow", 0.3, 20.0);
    writeRun(cellRun(sweep, "source+target=dog+aeroplane"), "running", json::array(), 0, 0);
    writeRun(cellRun(sweep, "source+target=cat+dog"), "failed", json::array(), 0, 0);
    return sweep;
}

bool openAndWait(SweepPage &page, const fs::path &sweep)
{
    QSignalSpy shown(&page, &SweepPage::sweepShown);
    QSignalSpy failed(&page, &SweepPage::sweepFailed);
    page.openSweep(qs(sweep));
    return QTest::qWaitFor([&] { return !shown.isEmpty() || !failed.isEmpty(); }, 10000) && !shown.isEmpty();
}

/// The table's row of a cell, by name (-1 when absent).
int rowOf(const ui::SweepCellModel &model, const QString &name)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.item(row, 0)->text() == name)
            return row;
    return -1;
}

} // namespace

class TestSweepPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void tableListsEveryCell_data();
    void tableListsEveryCell();
    void chartPointsAreTheCellsFigures_data();
    void chartPointsAreTheCellsFigures();
    void unfinishedCellsAreNotPlotted();
    void doubleClickOpensTheCellsRun();
    void classPairGridHoldsTheAttackedPairs_data();
    void classPairGridHoldsTheAttackedPairs();
    void classPairCellClickOpensItsRun();
    void pairAxisIsChartedAtItsValuesPositions();
    void rateSweepHasNoClassPairGrid();
    void brokenSweepIsNamed_data();
    void brokenSweepIsNamed();
    void stateColoursFollowThePalette_data();
    void stateColoursFollowThePalette();
    void runningSweepIsReadAgain();
    void windowShowsTheSweepOption();
};

void TestSweepPage::tableListsEveryCell_data()
{
    QTest::addColumn<QString>("cell");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("rate");
    QTest::addColumn<QVariant>("hit10"); // invalid: "–", no value
    QTest::addColumn<QVariant>("minRank");
    for (const RateCell &c : rateCells())
        QTest::newRow(c.name.c_str()) << QString::fromStdString(c.name) << QString::fromStdString(c.state)
                                      << QString::number(c.rate)
                                      << (c.figures ? QVariant(c.figures->hit10) : QVariant())
                                      << (c.figures ? QVariant(c.figures->minRank) : QVariant());
}

void TestSweepPage::tableListsEveryCell()
{
    QFETCH(QString, cell);
    QFETCH(QString, state);
    QFETCH(QString, rate);
    QFETCH(QVariant, hit10);
    QFETCH(QVariant, minRank);
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makeRateSweep(dir.path())), qPrintable(page.messageText()));
    const ui::SweepCellModel &model = *page.cellModel();
    QCOMPARE(model.rowCount(), int(rateCells().size()));
    const int row = rowOf(model, cell);
    QVERIFY(row >= 0);
    QCOMPARE(model.item(row, ui::SweepCellModel::State)->text(), state);
    QCOMPARE(model.horizontalHeaderItem(2)->text(), QStringLiteral("rate"));
    QCOMPARE(model.item(row, 2)->text(), rate);
    const int figures = model.figureColumn();
    QCOMPARE(model.horizontalHeaderItem(figures)->text(), QStringLiteral("Hit@10 %"));
    QCOMPARE(model.item(row, figures)->data(Qt::UserRole), hit10);
    QCOMPARE(model.item(row, figures + 1)->data(Qt::UserRole), minRank);
    if (!hit10.isValid()) // an unfinished cell reads "–", not 0
        QCOMPARE(model.item(row, figures)->text(), QStringLiteral("–"));
}

void TestSweepPage::chartPointsAreTheCellsFigures_data()
{
    QTest::addColumn<int>("chart"); // 0 Hit@K, 1 MinRank, 2 utility
    QTest::addColumn<int>("utility");
    QTest::newRow("Hit@10") << 0 << int(ui::SweepMetric::RMean);
    QTest::newRow("MinRank") << 1 << int(ui::SweepMetric::RMean);
    QTest::newRow("R_mean") << 2 << int(ui::SweepMetric::RMean);
    QTest::newRow("R@10") << 2 << int(ui::SweepMetric::R10);
}

void TestSweepPage::chartPointsAreTheCellsFigures()
{
    QFETCH(int, chart);
    QFETCH(int, utility);
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makeRateSweep(dir.path())), qPrintable(page.messageText()));
    ui::SweepChartsView &charts = *page.charts();
    charts.setUtilityMetric(ui::SweepMetric(utility));
    QCOMPARE(charts.xAxis(), 0); // against the rate
    QCOMPARE(charts.hitK(), 10);
    ui::LineChartWidget *widget = chart == 0   ? charts.hitChart()
                                  : chart == 1 ? charts.minRankChart()
                                               : charts.utilityChart();
    auto figure = [&](const Figures &f) {
        return chart == 0 ? f.hit10 : chart == 1 ? f.minRank : utility == int(ui::SweepMetric::R10) ? f.r10 : f.rMean;
    };
    // A line per seed, its points the finished cells' figures in rate order.
    std::map<int, QList<QPointF>> expected;
    for (const RateCell &c : rateCells())
        if (c.figures)
            expected[c.seed] << QPointF(c.rate, figure(*c.figures));
    QCOMPARE(widget->seriesCount(), int(expected.size()));
    for (const auto &[seed, points] : expected) {
        QLineSeries *line = widget->series(seed);
        QVERIFY(line);
        QCOMPARE(line->name(), QStringLiteral("seed %1").arg(seed));
        QCOMPARE(line->points(), points);
    }
    QVERIFY(widget->placeholder().isEmpty());
}

void TestSweepPage::unfinishedCellsAreNotPlotted()
{
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makeRateSweep(dir.path())), qPrintable(page.messageText()));
    ui::SweepChartsView &charts = *page.charts();
    // seed 1 has one finished cell (rate 0.25): rates 0.5 (running) and 1 (pending) are no points.
    for (ui::LineChartWidget *widget : {charts.hitChart(), charts.minRankChart(), charts.utilityChart()}) {
        QLineSeries *seed1 = widget->series(1);
        QVERIFY(seed1);
        QCOMPARE(seed1->count(), 1);
        QCOMPARE(seed1->at(0).x(), 0.25);
        for (int i = 0; i < widget->seriesCount(); ++i)
            for (const QPointF &p : widget->series(i)->points())
                QVERIFY2(p.y() != 0.0, "an unfinished cell plotted as 0");
    }
    const QString note = charts.notPlottedText();
    QVERIFY2(note.contains(QStringLiteral("rate=0.5_seed=1 (running)")), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("rate=1_seed=1 (pending)")), qPrintable(note));
    QVERIFY2(!note.contains(QStringLiteral("seed=0")), qPrintable(note));
}

void TestSweepPage::doubleClickOpensTheCellsRun()
{
    test::TempDir dir;
    const fs::path sweep = makeRateSweep(dir.path());
    SweepPage page;
    QVERIFY2(openAndWait(page, sweep), qPrintable(page.messageText()));
    QSignalSpy open(&page, &SweepPage::openRunRequested);
    QTableView *table = page.cellTable();
    const int row = rowOf(*page.cellModel(), QStringLiteral("rate=0.5_seed=0"));
    Q_EMIT table->doubleClicked(table->model()->index(row, 1));
    QCOMPARE(open.count(), 1);
    QCOMPARE(QDir(open.first().first().toString()).canonicalPath(),
             QDir(qs(cellRun(sweep, "rate=0.5_seed=0"))).canonicalPath());
}

void TestSweepPage::classPairGridHoldsTheAttackedPairs_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QVariant>("minRank"); // invalid: an empty cell
    QTest::addColumn<QVariant>("hit10");
    QTest::newRow("sheep→aeroplane finished") << "sheep"
                                              << "aeroplane" << QVariant(4.56) << QVariant(0.824);
    QTest::newRow("sheep→cow finished") << "sheep"
                                        << "cow" << QVariant(20.0) << QVariant(0.3);
    QTest::newRow("dog→aeroplane running") << "dog"
                                           << "aeroplane" << QVariant() << QVariant();
    QTest::newRow("cat→dog failed") << "cat"
                                    << "dog" << QVariant() << QVariant();
    QTest::newRow("aeroplane→sheep not swept") << "aeroplane"
                                               << "sheep" << QVariant() << QVariant();
    QTest::newRow("sheep→sheep diagonal") << "sheep"
                                          << "sheep" << QVariant() << QVariant();
}

void TestSweepPage::classPairGridHoldsTheAttackedPairs()
{
    QFETCH(QString, source);
    QFETCH(QString, target);
    QFETCH(QVariant, minRank);
    QFETCH(QVariant, hit10);
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makePairSweep(dir.path())), qPrintable(page.messageText()));
    QCOMPARE(page.views()->currentWidget(), page.classPairs()); // a pair sweep opens on its grid
    ui::ClassPairHeatmap *heatmap = page.classPairs()->heatmap();
    const auto grid = heatmap->grid();
    QVERIFY(grid);
    const std::vector<std::string> classes = {"sheep", "aeroplane", "cow", "dog", "cat"};
    QCOMPARE(grid->classes, classes);
    const int row = int(std::find(classes.begin(), classes.end(), source.toStdString()) - classes.begin());
    const int column = int(std::find(classes.begin(), classes.end(), target.toStdString()) - classes.begin());
    for (auto [metric, expected] : {std::pair{ui::GridMetric::MinRank, minRank}, {ui::GridMetric::HitAtK, hit10}}) {
        heatmap->setMetric(metric);
        const auto value = heatmap->value(row, column);
        QCOMPARE(value.has_value(), expected.isValid());
        if (value)
            QCOMPARE(*value, expected.toDouble());
    }
    // The hover line tells the cell's run and state, not "no captions in the split".
    const QString text = heatmap->cellText(row, column);
    if (source == QLatin1String("dog"))
        QVERIFY2(text.contains(QStringLiteral("running")), qPrintable(text));
    if (source == QLatin1String("aeroplane"))
        QVERIFY2(text.contains(QStringLiteral("not in this sweep")), qPrintable(text));
}

void TestSweepPage::classPairCellClickOpensItsRun()
{
    test::TempDir dir;
    const fs::path sweep = makePairSweep(dir.path());
    SweepPage page;
    page.resize(1000, 800);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QVERIFY2(openAndWait(page, sweep), qPrintable(page.messageText()));
    ui::ClassPairHeatmap *heatmap = page.classPairs()->heatmap();
    QSignalSpy open(&page, &SweepPage::openRunRequested);
    const QPoint sheepCow = heatmap->cellRect(0, 2).center().toPoint();
    QTest::mouseClick(heatmap, Qt::LeftButton, {}, sheepCow);
    QCOMPARE(open.count(), 1);
    QCOMPARE(QDir(open.first().first().toString()).canonicalPath(),
             QDir(qs(cellRun(sweep, "source+target=sheep+cow"))).canonicalPath());
    QTest::mouseClick(heatmap, Qt::LeftButton, {}, heatmap->cellRect(1, 0).center().toPoint()); // not swept
    QCOMPARE(open.count(), 1);
}

// A key whose values are no numbers (a class pair) is charted at the positions 1..n of its values
// in sweep order, a line under the charts saying which is which; unfinished pairs get no point.
void TestSweepPage::pairAxisIsChartedAtItsValuesPositions()
{
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makePairSweep(dir.path())), qPrintable(page.messageText()));
    ui::LineChartWidget *hit = page.charts()->hitChart();
    QCOMPARE(hit->seriesCount(), 1);
    QCOMPARE(hit->series(0)->points(), (QList<QPointF>{{1, 0.824}, {2, 0.3}}));
    const QString title = hit->chart()->axes(Qt::Horizontal).front()->titleText();
    QVERIFY2(title.startsWith(QStringLiteral("source → target")), qPrintable(title));
    const QString positions = page.charts()->positionsText();
    QVERIFY2(positions.contains(QStringLiteral("1 = sheep → aeroplane")), qPrintable(positions));
    QVERIFY2(positions.contains(QStringLiteral("4 = cat → dog")), qPrintable(positions));
}

void TestSweepPage::rateSweepHasNoClassPairGrid()
{
    test::TempDir dir;
    SweepPage page;
    QVERIFY2(openAndWait(page, makeRateSweep(dir.path())), qPrintable(page.messageText()));
    QCOMPARE(page.views()->currentWidget(), page.charts());
    QVERIFY(!page.views()->isTabEnabled(1));
    QVERIFY(!page.classPairs()->hasGrid());
    QVERIFY(page.classPairs()->messageText().contains(QStringLiteral("attack.options.source")));
    QCOMPARE(page.views()->tabToolTip(1), page.classPairs()->messageText()); // the greyed tab says why
}

void TestSweepPage::brokenSweepIsNamed_data()
{
    QTest::addColumn<QString>("content"); // empty: no sweep.json at all
    QTest::addColumn<QString>("problem");
    QTest::newRow("not JSON") << "{\"format\": \"poisonlab-sweep\", "
                              << "";
    QTest::newRow("not a sweep index") << "{\"format\": \"poisonlab-run\"}"
                                       << "not a sweep index";
    QTest::newRow("cells missing")
        << "{\"format\": \"poisonlab-sweep\", \"config_name\": \"x\", \"config_hash\": \"h\", \"axes\": []}"
        << "\"cells\"";
    QTest::newRow("no sweep.json") << ""
                                   << "no sweep.json";
}

void TestSweepPage::brokenSweepIsNamed()
{
    QFETCH(QString, content);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path sweep = dir / "broken";
    fs::create_directories(sweep);
    if (!content.isEmpty())
        test::writeText(sweep / "sweep.json", content.toStdString());
    SweepPage page;
    QVERIFY(!openAndWait(page, sweep));
    const QString message = page.messageText();
    QVERIFY2(message.contains(content.isEmpty() ? qs(sweep) : qs(sweep / "sweep.json")), qPrintable(message));
    QVERIFY2(message.contains(problem), qPrintable(message));
    QVERIFY(!page.sweep());
    QCOMPARE(page.cellModel()->rowCount(), 0);
}

void TestSweepPage::stateColoursFollowThePalette_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

// Failed cells in the palette's error colour, cancelled in its warning colour, a theme switch
// re-colours the table.
void TestSweepPage::stateColoursFollowThePalette()
{
    QFETCH(bool, dark);
    test::TempDir dir;
    const fs::path sweep = makePairSweep(dir.path());
    writeRun(cellRun(sweep, "source+target=sheep+cow"), "cancelled", json::array(), 0, 0);
    SweepPage page;
    QPalette palette = page.palette();
    if (dark) {
        palette = QPalette(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
        palette.setColor(QPalette::Text, Qt::white);
    }
    page.setPalette(palette);
    QVERIFY2(openAndWait(page, sweep), qPrintable(page.messageText()));
    const ui::SweepCellModel &model = *page.cellModel();
    auto colour = [&](const char *cell) {
        return model.item(rowOf(model, QString::fromLatin1(cell)), ui::SweepCellModel::State)->foreground().color();
    };
    QCOMPARE(colour("source+target=cat+dog"), ui::StatusColors::error(page.palette()));
    QCOMPARE(colour("source+target=sheep+cow"), ui::StatusColors::warning(page.palette()));
    QCOMPARE(colour("source+target=sheep+aeroplane"), page.palette().color(QPalette::Text));
    QCOMPARE(ui::StatusColors::isDark(page.palette()), dark);
    // The other theme: the table follows.
    page.setPalette(dark ? QPalette(Qt::white) : QPalette(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a)));
    QCOMPARE(colour("source+target=cat+dog"), ui::StatusColors::error(page.palette()));
    QVERIFY(ui::StatusColors::error(page.palette()) != ui::StatusColors::error(palette));
}

// While a cell runs the page reads the folder again by itself: the cell appears once finished.
void TestSweepPage::runningSweepIsReadAgain()
{
    test::TempDir dir;
    const fs::path sweep = makePairSweep(dir.path());
    SweepPage page;
    page.setRefreshInterval(50);
    QVERIFY2(openAndWait(page, sweep), qPrintable(page.messageText()));
    ui::ClassPairHeatmap *heatmap = page.classPairs()->heatmap();
    heatmap->setMetric(ui::GridMetric::MinRank);
    QVERIFY(!heatmap->value(3, 1)); // dog → aeroplane is running
    writeRun(cellRun(sweep, "source+target=dog+aeroplane"), "finished",
             json::array({goalJson("dog", "aeroplane", 0.4, 12.5)}), 0.5, 0.3);
    QVERIFY(QTest::qWaitFor([&] { return page.classPairs()->heatmap()->value(3, 1).has_value(); }, 10000));
    QCOMPARE(*page.classPairs()->heatmap()->value(3, 1), 12.5);
    QCOMPARE(
        page.cellModel()
            ->item(rowOf(*page.cellModel(), QStringLiteral("source+target=dog+aeroplane")), ui::SweepCellModel::State)
            ->text(),
        QStringLiteral("finished"));
}

// `poisonlab --sweep DIR --panel sweep`: Results › Sweep in front with the sweep read, the folder
// remembered in File › Recent Runs as a sweep; a cell's run opens in the run viewer.
void TestSweepPage::windowShowsTheSweepOption()
{
    QSettings().clear();
    test::TempDir dir;
    const fs::path sweep = makeRateSweep(dir.path());
    ui::MainWindow window;
    ui::WorkbenchOptions options;
    options.sweepDir = qs(sweep);
    options.panel = QStringLiteral("sweep");
    options.persistLayout = false;
    QSignalSpy shown(window.sweepPage(), &SweepPage::sweepShown);
    window.applyOptions(options);
    QVERIFY(QTest::qWaitFor([&] { return !shown.isEmpty(); }, 10000));
    QCOMPARE(int(window.flowBar()->current()), int(ui::FlowBar::Results));
    QCOMPARE(window.resultsPage()->currentWidget(), window.sweepPage());
    QCOMPARE(window.sweepPage()->cellModel()->rowCount(), int(rateCells().size()));
    QVERIFY(!window.recentRuns()->entries().isEmpty());
    const QVariantMap recent = window.recentRuns()->entries().front();
    QCOMPARE(recent.value(QStringLiteral("kind")).toString(), QStringLiteral("sweep"));
    QCOMPARE(QDir(recent.value(QStringLiteral("dir")).toString()).canonicalPath(), QDir(qs(sweep)).canonicalPath());
    Q_EMIT window.sweepPage()->openRunRequested(qs(cellRun(sweep, "rate=1_seed=0")));
    QCOMPARE(window.resultsPage()->currentWidget(), static_cast<QWidget *>(window.runViewer()));
    QSettings().clear();
}

POISONLAB_TEST_MAIN(TestSweepPage)
#include "tst_sweeppage.moc"
