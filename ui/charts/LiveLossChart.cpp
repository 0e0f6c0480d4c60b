#include "charts/LiveLossChart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>

namespace poisonlab::ui {

LiveLossChart::LiveLossChart(QWidget *parent) : LineChartWidget(tr("step"), tr("loss"), parent)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kRedrawDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveLossChart::redraw);
    clear();
    chart()->legend()->setVisible(true);
}

void LiveLossChart::addStep(qint64 step, double loss)
{
    m_pendingSteps.append(QPointF(double(step), loss));
    scheduleRedraw();
}

void LiveLossChart::addEpoch(qint64 step, double meanLoss)
{
    m_pendingEpochs.append(QPointF(double(step), meanLoss));
    scheduleRedraw();
}

void LiveLossChart::scheduleRedraw()
{
    if (!m_timer.isActive())
        m_timer.start(); // not restarted per step: a steady stream still redraws every 40 ms
}

void LiveLossChart::clear()
{
    m_timer.stop();
    m_pendingSteps.clear();
    m_pendingEpochs.clear();
    removeAllSeries();
    appendPoints(0, {}, tr("loss per step"));
    appendPoints(1, {}, tr("mean loss per epoch"));
    setPlaceholder(tr("The loss appears here while a run trains."));
}

int LiveLossChart::pointCount() const
{
    QLineSeries *line = series(0);
    return line ? static_cast<int>(line->count()) : 0;
}

void LiveLossChart::redraw()
{
    if (m_pendingSteps.isEmpty() && m_pendingEpochs.isEmpty())
        return;
    setPlaceholder(QString());
    if (!m_pendingSteps.isEmpty())
        appendPoints(0, m_pendingSteps);
    if (!m_pendingEpochs.isEmpty())
        appendPoints(1, m_pendingEpochs);
    m_pendingSteps.clear();
    m_pendingEpochs.clear();
    fitAxes();
    ++m_redraws;
}

} // namespace poisonlab::ui
