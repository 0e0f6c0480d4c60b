// The density view (paper Figure 6) and the embedding-shift view (Figure 1) on tiny runs made
// here: the view's distances are the pre-training filter's scores, its precision/recall/F1 at a
// threshold are the filter's at that threshold, dragging the line changes threshold and figures,
// a cancelled computation writes nothing, Apply runs the filter as a new run, and the shift view
// without a clean run says so and offers to pick one.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "analysis/DensityChart.h"
#include "analysis/DistanceDensityView.h"
#include "analysis/EmbeddingShiftView.h"
#include "charts/LineChartWidget.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/defense/DetectionMetrics.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QChartView>
#include <QLineSeries>
#include <QMouseEvent>
#include <QPushButton>
#include <QSignalSpy>

#include <cmath>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::AnalysisRuns;
using poisonlab::ui::DistanceDensityView;
using poisonlab::ui::EmbeddingShiftView;
namespace fs = std::filesystem;

namespace {

const int kJobMs = 180000; // generous: the machine may be busy building

QString q(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

/// The scores and poisoned flags the filter wrote (prefilter_index.json), by caption id.
struct FilterScores {
    std::vector<int> captions;
    std::vector<float> scores;
    std::vector<char> poisoned;
};

FilterScores filterScores(const fs::path &run)
{
    FilterScores out;
    const json index = readJsonFile(run / "results" / "defense" / "prefilter_index.json");
    for (const json &r : index["rows"]) {
        out.captions.push_back(r["caption"].get<int>());
        out.scores.push_back(r["distance"].get<float>());
        out.poisoned.push_back(r["poisoned"].get<bool>() ? 1 : 0);
    }
    return out;
}

void sendMouse(QWidget *w, QEvent::Type type, const QPoint &pos)
{
    QMouseEvent e(type, QPointF(pos), w->mapToGlobal(QPointF(pos)), Qt::LeftButton,
                  type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &e);
}

} // namespace

class TestDistanceDensityView : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void distancesAreTheFiltersScores();
    void figuresEqualTheFilterAtAThreshold_data();
    void figuresEqualTheFilterAtAThreshold();
    void draggingTheLineChangesThresholdAndFigures();
    void cancelledComputationLeavesNoFile();
    void applyRunsTheFilterAsANewRun();
    void shiftViewWithoutCleanRunSaysSo();
    void shiftViewShowsBothModalities();

private:
    /// A view on the filtered run, scoring with the starting model (the filter's), shown.
    std::unique_ptr<DistanceDensityView> shownView();

    test::TempDir m_dir;
    fs::path m_filtered; ///< Attack II + the filter at the 60th percentile, scored by "initial"
    fs::path m_clean;
};

void TestDistanceDensityView::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
    NullProgress progress;
    experiment::RunOptions options;
    options.evaluateInitial = false;
    json filtered = test::toyExperimentJson(m_dir / "toy", true, "filtered");
    filtered["training"]["epochs"] = 1;
    filtered["evaluation"]["every_epoch"] = false;
    filtered["defenses"] = {
        {{"plugin", "defense-distance-filter"}, {"options", {{"threshold", {{"percentile", 60}}}}}}};
    m_filtered = m_dir / "filtered";
    options.outDir = m_filtered;
    experiment::ExperimentRunner::run(experiment::ExperimentConfig::fromJson(filtered), options, progress);
    json clean = test::toyExperimentJson(m_dir / "toy", false, "clean");
    clean["training"]["epochs"] = 1;
    clean["evaluation"]["every_epoch"] = false;
    m_clean = m_dir / "clean";
    options.outDir = m_clean;
    experiment::ExperimentRunner::run(experiment::ExperimentConfig::fromJson(clean), options, progress);
}

std::unique_ptr<DistanceDensityView> TestDistanceDensityView::shownView()
{
    auto view = std::make_unique<DistanceDensityView>();
    view->resize(1000, 520);
    view->show();
    QSignalSpy shown(view.get(), &DistanceDensityView::distancesShown);
    view->setScoringModel(DistanceDensityView::ScoringModel::Starting);
    view->setRuns({q(m_filtered), QString()});
    if (!QTest::qWaitFor([&] { return !shown.isEmpty() || !view->runner()->isBusy(); }, kJobMs) || shown.isEmpty())
        qWarning("distances not shown: %s", qPrintable(view->statusText()));
    return view;
}

void TestDistanceDensityView::distancesAreTheFiltersScores()
{
    const auto view = shownView();
    QVERIFY2(view->hasDistances(), qPrintable(view->statusText()));
    const FilterScores filter = filterScores(m_filtered);
    const auto d = view->distances();
    QCOMPARE(d->captions, filter.captions);
    QCOMPARE(d->poisoned, filter.poisoned);
    for (std::size_t r = 0; r < filter.scores.size(); ++r)
        QCOMPARE(d->distances[r], filter.scores[r]);
    // Cached per pair in the documented file, and two filled curves on the chart.
    const json cached = readJsonFile(m_filtered / "results" / "analysis" / "distance_density_initial.json");
    QCOMPARE(cached["pair_distances"]["distance"].size(), filter.scores.size());
    QCOMPARE(cached["groups"]["poisoned"]["count"].get<int>(), 8);
    QVERIFY(view->densityChart()->lineChart()->seriesCount() >= 2);
}

void TestDistanceDensityView::figuresEqualTheFilterAtAThreshold_data()
{
    QTest::addColumn<double>("percentile"); // of the filter's scores; -1: the filter's own threshold
    QTest::newRow("the filter's threshold") << -1.0;
    QTest::newRow("20th percentile") << 20.0;
    QTest::newRow("median") << 50.0;
    QTest::newRow("95th percentile") << 95.0;
}

void TestDistanceDensityView::figuresEqualTheFilterAtAThreshold()
{
    QFETCH(double, percentile);
    const auto view = shownView();
    QVERIFY2(view->hasDistances(), qPrintable(view->statusText()));
    const json report = readJsonFile(m_filtered / "results" / "defense" / "prefilter.json");
    const FilterScores filter = filterScores(m_filtered);
    const double t = percentile < 0 ? report["threshold"]["distance"].get<double>()
                                    : defense::percentileThreshold(filter.scores, percentile);
    view->setThreshold(t);
    const defense::DetectionCounts c = view->counts();
    const defense::DetectionCounts expected = defense::countAt(filter.scores, filter.poisoned, t);
    QCOMPARE(c.flagged, expected.flagged);
    QCOMPARE(c.truePositives, expected.truePositives);
    QCOMPARE(c.falsePositives, expected.falsePositives);
    QCOMPARE(c.positives, 8LL);
    if (percentile < 0) { // the filter's own report
        QCOMPARE(c.flagged, report["counts"]["removed"].get<long long>());
        auto same = [](double a, const json &b) {
            return b.is_null() ? std::isnan(a) : std::abs(a - b.get<double>()) < 1e-12;
        };
        QVERIFY(same(c.precision(), report["precision"]));
        QVERIFY(same(c.recall(), report["recall"]));
        QVERIFY(same(c.f1(), report["f1"]));
    }
    QVERIFY2(view->figuresText().contains(QStringLiteral("Drops <b>%1</b> of %2").arg(c.flagged).arg(c.pairs)),
             qPrintable(view->figuresText()));
}

void TestDistanceDensityView::draggingTheLineChangesThresholdAndFigures()
{
    const auto view = shownView();
    QVERIFY2(view->hasDistances(), qPrintable(view->statusText()));
    const FilterScores filter = filterScores(m_filtered);
    const double from = defense::percentileThreshold(filter.scores, 10);
    const double to = defense::percentileThreshold(filter.scores, 90);
    view->setThreshold(from);
    const QString before = view->figuresText();
    const long long flaggedBefore = view->counts().flagged;
    auto *chart = view->densityChart();
    QWidget *viewport = chart->lineChart()->chartView()->viewport();
    const QPoint start = chart->viewportPosition(from);
    const QPoint end = chart->viewportPosition(to);
    QVERIFY2(end.x() - start.x() > 20, "the two thresholds are too close on screen");
    sendMouse(viewport, QEvent::MouseButtonPress, start);
    sendMouse(viewport, QEvent::MouseMove, (start + end) / 2);
    sendMouse(viewport, QEvent::MouseMove, end);
    sendMouse(viewport, QEvent::MouseButtonRelease, end);
    // The threshold is where the pointer let go (within a pixel), and the figures follow it.
    const double perPixel = std::abs(chart->valueAt(end + QPoint(1, 0)) - chart->valueAt(end));
    QVERIFY2(std::abs(view->threshold() - to) <= 1.5 * perPixel,
             qPrintable(QStringLiteral("%1 vs %2").arg(view->threshold()).arg(to)));
    QCOMPARE(chart->threshold(), view->threshold());
    const auto expected = defense::countAt(filter.scores, filter.poisoned, view->threshold());
    QCOMPARE(view->counts().flagged, expected.flagged);
    QVERIFY(view->counts().flagged < flaggedBefore);
    QVERIFY(view->figuresText() != before);
    // A move without a press does not drag.
    const double kept = view->threshold();
    sendMouse(viewport, QEvent::MouseMove, start);
    QCOMPARE(view->threshold(), kept);
}

void TestDistanceDensityView::cancelledComputationLeavesNoFile()
{
    const fs::path file = m_filtered / "results" / "analysis" / "distance_density_clean.json";
    DistanceDensityView view;
    QSignalSpy cancelled(view.runner(), &ui::JobRunner::cancelled);
    QSignalSpy finished(view.runner(), &ui::JobRunner::finished);
    view.setScoringModel(DistanceDensityView::ScoringModel::CleanRun);
    view.setRuns({q(m_filtered), q(m_clean)}); // the clean run's model: not cached yet
    QVERIFY(view.runner()->isBusy());
    view.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + finished.count() == 1, kJobMs);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!view.hasDistances());
    for (const auto &entry : fs::directory_iterator(file.parent_path()))
        QVERIFY2(entry.path().filename().string().find("distance_density_clean") == std::string::npos,
                 entry.path().c_str());
    // Not cancelled, the same computation writes its file.
    QSignalSpy shown(&view, &DistanceDensityView::distancesShown);
    view.setRuns({q(m_filtered), q(m_clean)});
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), kJobMs);
    QVERIFY(fs::is_regular_file(file));
}

void TestDistanceDensityView::applyRunsTheFilterAsANewRun()
{
    const auto view = shownView();
    QVERIFY(view->hasDistances());
    const FilterScores filter = filterScores(m_filtered);
    const double t = defense::percentileThreshold(filter.scores, 70);
    view->setThreshold(t);
    const auto counts = view->counts();
    QSignalSpy done(view.get(), &DistanceDensityView::runFinished);
    const fs::path out = m_dir / "applied";
    QVERIFY(view->applyFilter(q(out)));
    QTRY_VERIFY_WITH_TIMEOUT(!done.isEmpty() || !view->isBusy(), kJobMs);
    QVERIFY2(!done.isEmpty(), qPrintable(view->statusText()));
    QCOMPARE(done.first().at(0).toString(), q(out));
    const json report = readJsonFile(out / "results" / "defense" / "prefilter.json");
    QCOMPARE(report["threshold"]["distance"].get<double>(), t);
    QCOMPARE(report["counts"]["removed"].get<long long>(), counts.flagged);
    QCOMPARE(report["counts"]["removed_poisoned"].get<long long>(), counts.truePositives);
}

void TestDistanceDensityView::shiftViewWithoutCleanRunSaysSo()
{
    EmbeddingShiftView view;
    QSignalSpy pick(&view, &EmbeddingShiftView::pickCleanRunRequested);
    view.setRuns({q(m_filtered), QString()});
    QVERIFY2(view.message().contains(QStringLiteral("no clean run")), qPrintable(view.message()));
    QVERIFY(!view.runner()->isBusy());
    auto *button = view.findChild<QPushButton *>(QStringLiteral("pickCleanRun"));
    QVERIFY(button && button->isVisibleTo(&view));
    button->click();
    QCOMPARE(pick.count(), 1);
}

void TestDistanceDensityView::shiftViewShowsBothModalities()
{
    EmbeddingShiftView view;
    QSignalSpy shown(&view, &EmbeddingShiftView::shiftShown);
    view.setRuns({q(m_filtered), q(m_clean)});
    QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() || !view.runner()->isBusy(), kJobMs);
    QVERIFY2(!shown.isEmpty(), qPrintable(view.message()));
    QVERIFY(view.message().isEmpty());
    // 4 classes x 2 test images, 2 captions each; against the clean run's final model.
    QCOMPARE(view.shift()["images"]["count"].get<int>(), 8);
    QCOMPARE(view.shift()["captions"]["count"].get<int>(), 16);
    QCOMPARE(view.shift()["reference"].get<std::string>(), std::string("clean/final"));
    QVERIFY(view.summaryText().contains(QStringLiteral("Images")));
    QCOMPARE(view.chart()->lineChart()->seriesCount() >= 2, true);
    QVERIFY(fs::is_regular_file(m_filtered / "results" / "analysis" / "embedding_shift.json"));
}

POISONLAB_TEST_MAIN(TestDistanceDensityView)
#include "tst_distancedensityview.moc"
