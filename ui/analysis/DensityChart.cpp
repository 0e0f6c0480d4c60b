#include "analysis/DensityChart.h"

#include <QAreaSeries>
#include <QChart>
#include <QChartView>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

namespace {

QValueAxis *axis(QChart *chart, Qt::Orientation o)
{
    const auto axes = chart->axes(o);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.first());
}

void hideFromLegend(QChart *chart, QAbstractSeries *series)
{
    for (QLegendMarker *m : chart->legend()->markers(series))
        m->setVisible(false);
}

} // namespace

DensityChart::DensityChart(const QString &xTitle, const QString &yTitle, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_chart = new LineChartWidget(xTitle, yTitle, this);
    layout->addWidget(m_chart);
    m_chart->chartView()->viewport()->installEventFilter(this);
    m_chart->chartView()->viewport()->setMouseTracking(true);
}

void DensityChart::setTitle(const QString &title)
{
    m_chart->setTitle(title);
}

void DensityChart::setPlaceholder(const QString &text)
{
    m_chart->setPlaceholder(text);
}

void DensityChart::setCurves(const QList<DensityCurve> &curves)
{
    QList<ChartSeries> lines;
    double x0 = 0, x1 = 1, top = 0;
    bool first = true;
    for (const DensityCurve &c : curves) {
        lines.append({c.name, c.points});
        for (const QPointF &p : c.points) {
            x0 = first ? p.x() : std::min(x0, p.x());
            x1 = first ? p.x() : std::max(x1, p.x());
            top = std::max(top, p.y());
            first = false;
        }
    }
    // Fixed ranges: the density starts at 0 (the default fit pads below it).
    if (!std::isnan(m_xLimit))
        x1 = std::min(x1, m_xLimit);
    m_chart->setXRange(std::pair{std::max(0.0, std::floor(x0 * 20) / 20), std::ceil(x1 * 20) / 20});
    m_chart->setYRange(std::pair{0.0, top > 0 ? top * 1.05 : 1.0});
    m_chart->setSeries(lines);
    m_chart->chart()->legend()->setVisible(!curves.isEmpty());
    for (QValueAxis *a : {axis(m_chart->chart(), Qt::Horizontal), axis(m_chart->chart(), Qt::Vertical)})
        if (a)
            a->applyNiceNumbers(); // round ticks
    if (QValueAxis *x = axis(m_chart->chart(), Qt::Horizontal); x && x->min() < 0)
        x->setMin(0);
    if (QValueAxis *y = axis(m_chart->chart(), Qt::Vertical))
        m_top = y->max();
    for (int i = 0; i < curves.size(); ++i)
        addFill(curves[i], m_chart->series(i));
    m_line = nullptr;
    drawThresholdLine();
}

void DensityChart::setXLimit(double x)
{
    m_xLimit = x;
}

void DensityChart::addFill(const DensityCurve &curve, QLineSeries *line)
{
    if (!line || curve.points.isEmpty())
        return;
    QChart *chart = m_chart->chart();
    auto *area = new QAreaSeries;
    auto *upper = new QLineSeries(area);
    upper->append(curve.points);
    auto *lower = new QLineSeries(area);
    lower->append({QPointF(curve.points.first().x(), 0), QPointF(curve.points.last().x(), 0)});
    area->setUpperSeries(upper);
    area->setLowerSeries(lower);
    area->setName(curve.name + QStringLiteral(" (fill)"));
    const QColor color = curve.color.isValid() ? curve.color : line->color();
    QColor fill = color;
    fill.setAlpha(70);
    area->setBrush(fill);
    area->setPen(Qt::NoPen);
    chart->addSeries(area);
    for (QAbstractAxis *a : chart->axes())
        area->attachAxis(a);
    hideFromLegend(chart, area);
    line->setPen(QPen(color, 2));
}

void DensityChart::setThresholdEnabled(bool enabled)
{
    m_thresholdEnabled = enabled;
    drawThresholdLine();
}

void DensityChart::setThreshold(double x)
{
    m_threshold = x;
    drawThresholdLine();
}

void DensityChart::drawThresholdLine()
{
    QChart *chart = m_chart->chart();
    if (!m_thresholdEnabled) {
        if (m_line)
            chart->removeSeries(m_line);
        delete m_line;
        m_line = nullptr;
        return;
    }
    if (!m_line) {
        m_line = new QLineSeries;
        m_line->setName(tr("threshold"));
        chart->addSeries(m_line);
        for (QAbstractAxis *a : chart->axes())
            m_line->attachAxis(a);
        hideFromLegend(chart, m_line);
        m_line->setPen(QPen(palette().color(QPalette::WindowText), 2, Qt::DashLine));
    }
    m_line->replace({QPointF(m_threshold, 0), QPointF(m_threshold, m_top)});
}

QPoint DensityChart::viewportPosition(double x) const
{
    QChart *chart = m_chart->chart();
    const QRectF plot = chart->plotArea();
    const QPointF inChart(chart->mapToPosition(QPointF(x, 0)).x(), plot.center().y());
    const QPointF scene = chart->mapToScene(inChart);
    return m_chart->chartView()->mapFromScene(scene);
}

double DensityChart::valueAt(const QPoint &viewportPos) const
{
    QChart *chart = m_chart->chart();
    const QPointF inChart = chart->mapFromScene(m_chart->chartView()->mapToScene(viewportPos));
    return chart->mapToValue(inChart).x();
}

bool DensityChart::eventFilter(QObject *watched, QEvent *event)
{
    if (!m_thresholdEnabled || watched != m_chart->chartView()->viewport())
        return QWidget::eventFilter(watched, event);
    QChart *chart = m_chart->chart();
    auto inPlot = [&](const QPoint &pos) {
        return chart->plotArea().contains(chart->mapFromScene(m_chart->chartView()->mapToScene(pos)));
    };
    auto moveTo = [&](const QPoint &pos) {
        setThreshold(valueAt(pos));
        Q_EMIT thresholdDragged(m_threshold);
    };
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *e = static_cast<QMouseEvent *>(event);
        if (e->button() != Qt::LeftButton || !inPlot(e->position().toPoint()))
            break;
        m_dragging = true;
        moveTo(e->position().toPoint());
        return true;
    }
    case QEvent::MouseMove: {
        auto *e = static_cast<QMouseEvent *>(event);
        const QPoint pos = e->position().toPoint();
        m_chart->chartView()->viewport()->setCursor(inPlot(pos) || m_dragging ? Qt::SizeHorCursor : Qt::ArrowCursor);
        if (!m_dragging)
            break;
        moveTo(pos);
        return true;
    }
    case QEvent::MouseButtonRelease:
        if (!m_dragging)
            break;
        m_dragging = false;
        return true;
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace poisonlab::ui
