#include "train/LiveSeriesChart.h"

#include <QChart>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>

#include <cmath>

namespace poisonlab::ui {

LiveSeriesChart::LiveSeriesChart(const QString &xTitle, const QString &yTitle, const QString &placeholder,
                                 QWidget *parent)
    : LineChartWidget(xTitle, yTitle, parent), m_emptyText(placeholder)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(kRedrawDelayMs);
    connect(&m_timer, &QTimer::timeout, this, &LiveSeriesChart::redraw);
    clear();
}

void LiveSeriesChart::addPoint(const QString &name, double x, double y)
{
    int index = int(m_names.indexOf(name));
    if (index < 0) {
        index = int(m_names.size());
        m_names << name;
    }
    m_pending[index].append(QPointF(x, y));
    if (!m_timer.isActive())
        m_timer.start(); // not restarted per point: a steady stream still redraws every 40 ms
}

void LiveSeriesChart::clear()
{
    m_timer.stop();
    m_pending.clear();
    m_names.clear();
    removeAllSeries();
    setPlaceholder(m_emptyText);
}

int LiveSeriesChart::pointCount(const QString &name) const
{
    const int index = int(m_names.indexOf(name));
    QLineSeries *line = index < 0 ? nullptr : series(index);
    return line ? int(line->count()) : 0;
}

void LiveSeriesChart::redraw()
{
    if (m_pending.isEmpty())
        return;
    setPlaceholder(QString());
    // Lines are created in index order, so line i is series(i).
    for (int i = seriesCount(); i < m_names.size(); ++i) {
        appendPoints(i, {}, m_names[i]);
        series(i)->setPointsVisible(m_markers);
        if (i >= 5) { // the theme has five colours: dash the lines that repeat them
            QPen pen = series(i)->pen();
            pen.setStyle(i >= 10 ? Qt::DotLine : Qt::DashLine);
            series(i)->setPen(pen);
        }
    }
    for (auto it = m_pending.begin(); it != m_pending.end(); ++it)
        appendPoints(it.key(), it.value());
    m_pending.clear();
    chart()->legend()->setVisible(m_names.size() > 1);
    fitAxes();
    if (m_integerX)
        if (auto *x = qobject_cast<QValueAxis *>(chart()->axes(Qt::Horizontal).value(0))) {
            x->setTickType(QValueAxis::TicksDynamic);
            x->setTickAnchor(0);
            x->setTickInterval(std::max(1.0, std::ceil((x->max() - x->min()) / 10)));
            x->setLabelFormat(QStringLiteral("%d"));
        }
    ++m_redraws;
}

} // namespace poisonlab::ui
