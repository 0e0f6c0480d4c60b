#include "sweep/SweepChartSeries.h"

#include "sweep/SweepData.h"

#include <QObject>

#include <algorithm>
#include <cmath>
#include <map>

namespace poisonlab::ui {

namespace {

/// The distinct values of an axis in the order the cells have them (the axis's own order first).
std::vector<nlohmann::json> axisValues(const SweepData &sweep, int axis)
{
    std::vector<nlohmann::json> values = sweep.index.axes[std::size_t(axis)].values;
    for (int cell = 0; cell < sweep.cellCount(); ++cell) {
        const nlohmann::json v = sweep.axisValue(cell, axis);
        if (!v.is_null() && std::find(values.begin(), values.end(), v) == values.end())
            values.push_back(v);
    }
    return values;
}

/// "seed 1 · epochs 3": the other axes' values of a cell, naming its line.
QString lineName(const SweepData &sweep, int cell, int xAxis)
{
    QStringList parts;
    for (int a = 0; a < sweep.axisCount(); ++a)
        if (a != xAxis)
            parts << QStringLiteral("%1 %2").arg(SweepData::keyTitle(sweep.index.axes[std::size_t(a)].key),
                                                 sweep.axisText(cell, a));
    return parts.join(QStringLiteral(" · "));
}

} // namespace

SweepChartSeries SweepChartSeries::build(const SweepData &sweep, int xAxis, SweepMetric metric, int k)
{
    SweepChartSeries chart;
    if (xAxis < 0 || xAxis >= sweep.axisCount())
        return chart;
    const std::string &key = sweep.index.axes[std::size_t(xAxis)].key;
    const std::vector<nlohmann::json> values = axisValues(sweep, xAxis);
    chart.categorical = values.empty() || !std::all_of(values.begin(), values.end(),
                                                       [](const nlohmann::json &v) { return v.is_number(); });
    chart.integral = chart.categorical || std::all_of(values.begin(), values.end(), [](const nlohmann::json &v) {
                         return v.is_number_integer() || v.is_number_unsigned();
                     });
    chart.xTitle = SweepData::keyTitle(key);
    if (chart.categorical) {
        for (std::size_t i = 0; i < values.size(); ++i)
            chart.positions << QStringLiteral("%1 = %2").arg(i + 1).arg(sweep.axisValueText(xAxis, values[i]));
        chart.xTitle = QObject::tr("%1 (position, see below)").arg(chart.xTitle);
    }

    std::map<QString, QList<QPointF>> lines; // by name, kept in first-seen order below
    QStringList order;
    bool first = true;
    for (int cell = 0; cell < sweep.cellCount(); ++cell) {
        const nlohmann::json v = sweep.axisValue(cell, xAxis);
        const auto position = std::find(values.begin(), values.end(), v);
        const std::optional<double> y = SweepMetrics::value(sweep, cell, metric, k);
        if (v.is_null() || position == values.end() || !y) {
            const QString state = QString::fromStdString(sweep.cells[std::size_t(cell)].state);
            chart.notPlotted << QObject::tr("%1 (%2)").arg(
                QString::fromStdString(sweep.cells[std::size_t(cell)].cell.name),
                sweep.isFinished(cell) ? QObject::tr("no %1").arg(SweepMetrics::name(metric, k)) : state);
            continue;
        }
        const double x = chart.categorical ? double(position - values.begin() + 1) : v.get<double>();
        chart.firstX = first ? x : std::min(chart.firstX, x);
        chart.lastX = first ? x : std::max(chart.lastX, x);
        first = false;
        const QString name = lineName(sweep, cell, xAxis);
        if (!lines.count(name))
            order << name;
        lines[name] << QPointF(x, *y);
    }
    for (const QString &name : order) {
        QList<QPointF> points = lines[name];
        std::sort(points.begin(), points.end(), [](const QPointF &a, const QPointF &b) { return a.x() < b.x(); });
        chart.series << ChartSeries{name.isEmpty() ? SweepMetrics::name(metric, k) : name, points};
    }
    return chart;
}

} // namespace poisonlab::ui
