// LiveLossChart: many step signals become a few redraws (a ~40 ms single-shot timer), and no
// point is lost; the Train panel feeds it from the controller's step signal.
#include "TestSupport.h"

#include "charts/LiveLossChart.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDraft.h"
#include "train/TrainMonitor.h"
#include "train/TrainPanel.h"

#include <QLineSeries>
#include <QProgressBar>

using poisonlab::ui::ExperimentController;
using poisonlab::ui::ExperimentDraft;
using poisonlab::ui::LiveLossChart;
using poisonlab::ui::TrainingStep;
using poisonlab::ui::TrainPanel;

class TestLiveLossChart : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void coalescesSteps_data();
    void coalescesSteps();
    void panelFeedsTheChart();
    void clearStartsOver();
};

void TestLiveLossChart::coalescesSteps_data()
{
    QTest::addColumn<int>("steps");
    QTest::newRow("one") << 1;
    QTest::newRow("a hundred") << 100;
    QTest::newRow("five thousand") << 5000;
}

void TestLiveLossChart::coalescesSteps()
{
    QFETCH(int, steps);
    LiveLossChart chart;
    for (int i = 1; i <= steps; ++i)
        chart.addStep(i, 3.0 - i * 1e-4);
    QCOMPARE(chart.redrawCount(), 0); // nothing drawn synchronously
    QCOMPARE(chart.pendingCount(), steps);
    QTRY_COMPARE(chart.pointCount(), steps);
    QCOMPARE(chart.redrawCount(), 1); // a burst of steps: one redraw
    QCOMPARE(chart.series(0)->at(steps - 1), QPointF(steps, 3.0 - steps * 1e-4));
    QVERIFY(chart.placeholder().isEmpty());
}

void TestLiveLossChart::panelFeedsTheChart()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    // The controller's signal, as the worker's queued steps would deliver it.
    for (int i = 1; i <= 500; ++i) {
        TrainingStep s;
        s.step = i;
        s.totalSteps = 500;
        s.epoch = 1;
        s.loss = 2.0;
        s.etaSeconds = 500 - i;
        Q_EMIT panel.controller()->stepReported(s);
    }
    QTRY_COMPARE(panel.monitor()->lossChart()->pointCount(), 500);
    QVERIFY(panel.monitor()->lossChart()->redrawCount() <= 2);
    QCOMPARE(panel.monitor()->progressBar()->value(), 500);
    QCOMPARE(panel.monitor()->progressBar()->maximum(), 500);
}

void TestLiveLossChart::clearStartsOver()
{
    LiveLossChart chart;
    chart.addStep(1, 1.0);
    chart.addEpoch(1, 1.0);
    QTRY_COMPARE(chart.pointCount(), 1);
    chart.addStep(2, 1.0);
    chart.clear();
    QCOMPARE(chart.pendingCount(), 0);
    QCOMPARE(chart.pointCount(), 0);
    QVERIFY(!chart.placeholder().isEmpty());
}

POISONLAB_TEST_MAIN(TestLiveLossChart)
#include "tst_livelosschart.moc"
