// RunComparisonView on the golden runs of tests/data/compare (a clean run and Attack II at rates
// 0.5 and 1): the table holds exactly the files' numbers, the attacked runs' Hit@10 difference
// from the clean run, sorts by number; a run that cannot be read shows its error (naming the
// file) in its row and the others stay; the chart has a line per run, or per K against the rate.
#include "TestSupport.h"

#include "charts/LineChartWidget.h"
#include "poisonlab/core/AtomicFile.h"
#include "results/RunComparisonModel.h"
#include "results/RunComparisonView.h"

#include <QLineSeries>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QTableView>

using namespace poisonlab;
using poisonlab::ui::LineChartWidget;
using poisonlab::ui::RunComparisonView;
namespace fs = std::filesystem;

namespace {

QString runDir(const char *name)
{
    return QString::fromStdString((test::testDataDir() / "compare" / name).string());
}

/// The column whose header is `header` (two-line headers: "goal\nfigure"), -1 when none.
int column(const QStandardItemModel *m, const QString &header)
{
    for (int c = 0; c < m->columnCount(); ++c)
        if (m->headerData(c, Qt::Horizontal).toString() == header)
            return c;
    return -1;
}

/// The row of the run named `name`, -1 when none.
int row(const QStandardItemModel *m, const QString &name)
{
    for (int r = 0; r < m->rowCount(); ++r)
        if (m->index(r, 0).data().toString() == name)
            return r;
    return -1;
}

} // namespace

class TestRunComparison : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tableHoldsTheFilesNumbers_data();
    void tableHoldsTheFilesNumbers();
    void listNamesAttackRateAndPhi();
    void sortsByNumber();
    void chartHasALinePerRun();
    void brokenRunShowsItsErrorAndTheRestStays();
    void removeRun();
    void noCleanRunNoDelta();
    void goalsMatchedByName();

private:
    RunComparisonView m_view;
    const QStandardItemModel *table() const { return m_view.model()->table(); }
};

void TestRunComparison::initTestCase()
{
    QSignalSpy changed(&m_view, &RunComparisonView::runsChanged);
    m_view.addRuns({runDir("attack2-r1"), runDir("clean"), runDir("attack2-r05")});
    QCOMPARE(m_view.runCount(), 3); // listed at once, "reading…"
    QVERIFY(m_view.isLoading());
    QTRY_VERIFY(!m_view.isLoading());
    QVERIFY(changed.count() >= 2);
    QCOMPARE(table()->rowCount(), 3);
}

void TestRunComparison::tableHoldsTheFilesNumbers_data()
{
    QTest::addColumn<QString>("run");
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("value"); // exact, from the file (invalid: a text cell)
    QTest::newRow("attack") << "cmp_attack2_r1"
                            << "Attack"
                            << "Attack II · image" << QVariant();
    QTest::newRow("clean attack") << "cmp_clean"
                                  << "Attack"
                                  << "clean" << QVariant();
    QTest::newRow("rate") << "cmp_attack2_r05"
                          << "Rate"
                          << "0.5" << QVariant(0.5);
    QTest::newRow("clean rate") << "cmp_clean"
                                << "Rate"
                                << "0" << QVariant(0.0);
    QTest::newRow("phi") << "cmp_attack2_r1"
                         << "φ %"
                         << "1.04" << QVariant(50.0 / 4800);
    QTest::newRow("I→T R@1") << "cmp_clean"
                             << "I→T\nR@1 %"
                             << "53.33" << QVariant(0.5333);
    QTest::newRow("I→T R@10") << "cmp_attack2_r05"
                              << "I→T\nR@10 %"
                              << "88.33" << QVariant(0.8833);
    QTest::newRow("T→I R@5") << "cmp_attack2_r1"
                             << "T→I\nR@5 %"
                             << "73.33" << QVariant(0.7333);
    QTest::newRow("R_mean") << "cmp_attack2_r05"
                            << "R_mean\n%"
                            << "69.72" << QVariant(0.6972);
    QTest::newRow("Hit@1") << "cmp_attack2_r1"
                           << "Hit@1 %"
                           << "46.67" << QVariant(0.4667);
    QTest::newRow("Hit@10") << "cmp_attack2_r05"
                            << "Hit@10 %"
                            << "73.33" << QVariant(0.7333);
    QTest::newRow("clean Hit@10") << "cmp_clean"
                                  << "Hit@10 %"
                                  << "13.33" << QVariant(0.1333);
    QTest::newRow("MinRank") << "cmp_attack2_r1"
                             << "MinRank"
                             << "1.30" << QVariant(1.3);
    QTest::newRow("baseline Hit@10") << "cmp_attack2_r1"
                                     << "baseline\nHit@10 %"
                                     << "14.67" << QVariant(0.1467);
    QTest::newRow("baseline MinRank") << "cmp_clean"
                                      << "baseline\nMinRank"
                                      << "17.84" << QVariant(17.84);
    // Against the clean run's Hit@10 (13.33 %).
    QTest::newRow("delta r1") << "cmp_attack2_r1"
                              << "ΔHit@10\nvs clean"
                              << "+80.00" << QVariant(0.9333 - 0.1333);
    QTest::newRow("delta r0.5") << "cmp_attack2_r05"
                                << "ΔHit@10\nvs clean"
                                << "+60.00" << QVariant(0.7333 - 0.1333);
    QTest::newRow("reference") << "cmp_clean"
                               << "ΔHit@10\nvs clean"
                               << "reference" << QVariant();
}

void TestRunComparison::tableHoldsTheFilesNumbers()
{
    QFETCH(QString, run);
    QFETCH(QString, header);
    QFETCH(QString, text);
    QFETCH(QVariant, value);
    const int r = row(table(), run);
    const int c = column(table(), header);
    QVERIFY2(r >= 0, qPrintable(run));
    QVERIFY2(c >= 0, qPrintable(header));
    QCOMPARE(table()->index(r, c).data().toString(), text);
    if (value.isValid())
        QCOMPARE(table()->index(r, c).data(Qt::UserRole).toDouble(), value.toDouble());
}

void TestRunComparison::listNamesAttackRateAndPhi()
{
    const QStringList list = m_view.runListTexts();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list[0], QStringLiteral("cmp_attack2_r1\nAttack II · image, rate 1, φ 1.04 %"));
    QCOMPARE(list[1], QStringLiteral("cmp_clean\nclean (no attack)"));
    QCOMPARE(list[2], QStringLiteral("cmp_attack2_r05\nAttack II · image, rate 0.5, φ 0.52 %"));
    QVERIFY(m_view.errorsText().isEmpty());
}

void TestRunComparison::sortsByNumber()
{
    QTableView *view = m_view.tableView();
    const int hit10 = column(table(), QStringLiteral("Hit@10 %"));
    view->sortByColumn(hit10, Qt::DescendingOrder);
    QCOMPARE(view->model()->index(0, 0).data().toString(), QStringLiteral("cmp_attack2_r1"));
    QCOMPARE(view->model()->index(2, 0).data().toString(), QStringLiteral("cmp_clean"));
    view->sortByColumn(column(table(), QStringLiteral("Rate")), Qt::AscendingOrder);
    QCOMPARE(view->model()->index(0, 0).data().toString(), QStringLiteral("cmp_clean"));
    QCOMPARE(view->model()->index(1, 0).data().toString(), QStringLiteral("cmp_attack2_r05"));
}

void TestRunComparison::chartHasALinePerRun()
{
    using Axis = RunComparisonView::ChartAxis;
    const LineChartWidget *chart = m_view.chart();
    // Three runs of one attack at three rates: automatically against the rate, a line per K.
    QCOMPARE(m_view.effectiveChartAxis(), Axis::Rate);
    QCOMPARE(chart->seriesCount(), 3);
    QCOMPARE(chart->series(2)->name(), QStringLiteral("Hit@10"));
    QCOMPARE(chart->series(2)->points(), (QList<QPointF>{{0, 0.1333}, {0.5, 0.7333}, {1, 0.9333}}));
    m_view.setChartAxis(Axis::K);
    QVERIFY(chart->placeholder().isEmpty());
    QCOMPARE(chart->seriesCount(), 3); // a line per run
    QCOMPARE(chart->series(1)->name(), QStringLiteral("cmp_clean (clean)"));
    QCOMPARE(chart->series(1)->points(), (QList<QPointF>{{1, 0.0}, {5, 0.0667}, {10, 0.1333}}));
    QCOMPARE(chart->series(0)->points(), (QList<QPointF>{{1, 0.4667}, {5, 0.8667}, {10, 0.9333}}));
    m_view.setChartAxis(Axis::Auto);
    test::TempDir dir;
    QString error;
    const QString png = QString::fromStdString((dir / "hits.png").string());
    QVERIFY2(chart->exportTo(png, &error), qPrintable(error));
}

void TestRunComparison::brokenRunShowsItsErrorAndTheRestStays()
{
    test::TempDir dir;
    const fs::path broken = dir / "broken";
    fs::copy(test::testDataDir() / "compare" / "attack2-r05", broken, fs::copy_options::recursive);
    test::writeText(broken / "results/final.json", "{\"evaluation\": ");
    RunComparisonView view;
    view.addRuns({runDir("clean"), QString::fromStdString(broken.string()), runDir("attack2-r1")});
    QTRY_VERIFY(!view.isLoading());
    const QStandardItemModel *t = view.model()->table();
    QCOMPARE(t->rowCount(), 3);
    QCOMPARE(t->index(1, 0).data().toString(), QStringLiteral("broken"));
    const QString cell = t->index(1, 1).data().toString();
    QVERIFY2(cell.startsWith(QStringLiteral("cannot read: ")) && cell.contains(QStringLiteral("final.json")),
             qPrintable(cell));
    QVERIFY(view.errorsText().contains(QStringLiteral("final.json")));
    QVERIFY(view.runListTexts()[1].contains(QStringLiteral("cannot be read")));
    // The others are there, the delta too; the broken run draws no line.
    const int hit10 = column(t, QStringLiteral("Hit@10 %"));
    QCOMPARE(t->index(2, hit10).data(Qt::UserRole).toDouble(), 0.9333);
    QCOMPARE(t->index(2, column(t, QStringLiteral("ΔHit@10\nvs clean"))).data().toString(), QStringLiteral("+80.00"));
    QCOMPARE(view.effectiveChartAxis(), RunComparisonView::ChartAxis::K); // two runs read
    QCOMPARE(view.chart()->seriesCount(), 2);
    // A folder that is not a run names run.json.
    view.addRun(QString::fromStdString(dir.path().string()));
    QTRY_VERIFY(!view.isLoading());
    QVERIFY2(t->index(3, 1).data().toString().contains(QStringLiteral("run.json")),
             qPrintable(t->index(3, 1).data().toString()));
}

void TestRunComparison::removeRun()
{
    RunComparisonView view;
    QSignalSpy changed(&view, &RunComparisonView::runsChanged);
    view.addRuns({runDir("clean"), runDir("attack2-r1")});
    QTRY_VERIFY(!view.isLoading());
    view.removeRun(0);
    QCOMPARE(view.runCount(), 1);
    QCOMPARE(view.model()->table()->rowCount(), 1);
    QCOMPARE(view.model()->table()->index(0, 0).data().toString(), QStringLiteral("cmp_attack2_r1"));
    QCOMPARE(column(view.model()->table(), QStringLiteral("ΔHit@10\nvs clean")),
             -1); // no reference left
    QVERIFY(changed.count() >= 3);
}

// Without a clean run there is no reference; runs added while others are read are read after.
void TestRunComparison::noCleanRunNoDelta()
{
    RunComparisonView view;
    view.addRun(runDir("attack2-r1"));
    view.addRun(runDir("attack2-r05")); // while the first is being read
    QTRY_VERIFY(!view.isLoading());
    QCOMPARE(view.model()->referenceRow(), -1);
    const QStandardItemModel *t = view.model()->table();
    QCOMPARE(column(t, QStringLiteral("ΔHit@10\nvs clean")), -1);
    QCOMPARE(t->index(1, column(t, QStringLiteral("Rate"))).data(Qt::UserRole).toDouble(), 0.5);
    QCOMPARE(view.chart()->seriesCount(), 2);
}

// Runs with different goals: a column group per goal name, "–" where a run did not measure it;
// the difference from the clean run only where both measured the goal.
void TestRunComparison::goalsMatchedByName()
{
    RunComparisonView view;
    view.addRuns({runDir("clean"), QString::fromStdString((test::testDataDir() / "report" / "attack-run").string())});
    QTRY_VERIFY(!view.isLoading());
    const QStandardItemModel *t = view.model()->table();
    QCOMPARE(view.model()->goals(), (QStringList{"sheep->aeroplane", "sofa->bird"}));
    const int sheep = column(t, QStringLiteral("sheep->aeroplane\nHit@10 %"));
    const int sofa = column(t, QStringLiteral("sofa->bird\nHit@10 %"));
    QVERIFY(sheep >= 0 && sofa >= 0);
    QCOMPARE(t->index(0, sheep).data(Qt::UserRole).toDouble(), 0.1333);
    QCOMPARE(t->index(1, sheep).data(Qt::UserRole).toDouble(), 0.9333);
    QCOMPARE(t->index(1, sofa).data(Qt::UserRole).toDouble(), 0.8667);
    QCOMPARE(t->index(0, sofa).data().toString(), QStringLiteral("–")); // the clean run has no sofa goal
    QCOMPARE(t->index(1, column(t, QStringLiteral("sheep->aeroplane\nΔHit@10\nvs clean"))).data().toString(),
             QStringLiteral("+80.00"));
    QCOMPARE(t->index(1, column(t, QStringLiteral("sofa->bird\nΔHit@10\nvs clean"))).data().toString(),
             QStringLiteral("–"));
    view.setChartGoal(QStringLiteral("sofa->bird"));
    QCOMPARE(view.chart()->seriesCount(), 1); // only the run that measured it
}

POISONLAB_TEST_MAIN(TestRunComparison)
#include "tst_runcomparison.moc"
