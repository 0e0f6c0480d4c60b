#include "results/ChartAxes.h"

#include "charts/LineChartWidget.h"

#include <QChart>
#include <QValueAxis>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui::ChartAxes {

namespace {

QValueAxis *xAxis(LineChartWidget *chart)
{
    const auto axes = chart->chart()->axes(Qt::Horizontal);
    return axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.front());
}

} // namespace

void integerX(LineChartWidget *chart, const QString &title, int first, int last)
{
    QValueAxis *x = xAxis(chart);
    if (!x)
        return;
    x->setTitleText(title);
    x->setTickType(QValueAxis::TicksDynamic);
    x->setTickAnchor(first);
    x->setTickInterval(std::max(1.0, std::ceil((last - first) / 10.0)));
    x->setLabelFormat(QStringLiteral("%d"));
}

void continuousX(LineChartWidget *chart, const QString &title)
{
    QValueAxis *x = xAxis(chart);
    if (!x)
        return;
    x->setTitleText(title);
    x->setTickType(QValueAxis::TicksFixed);
    x->setTickCount(5);
    x->setLabelFormat(QStringLiteral("%.3g"));
}

} // namespace poisonlab::ui::ChartAxes
