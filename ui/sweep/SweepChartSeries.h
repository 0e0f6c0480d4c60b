#pragma once

#include "charts/LineChartWidget.h"
#include "sweep/SweepMetric.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace poisonlab::ui {

struct SweepData;

/// What a sweep chart plots: one metric of the finished cells against one swept key (the paper's
/// poison-rate and epoch ablations), one line per combination of the other axes' values. A key
/// whose values are not all numbers (a class pair, a plugin) is plotted at the positions 1..n of
/// its values, in sweep order (`positions` says which is which). Unfinished cells get no point (not a zero): they are
/// listed in notPlotted instead.
struct SweepChartSeries {
    QList<ChartSeries> series;
    QString xTitle;           ///< the key ("rate")
    QStringList positions;    ///< when categorical: "1 = sheep → aeroplane", one per value
    bool categorical = false; ///< x is a value's position (1..n), not the value
    bool integral = false;    ///< every x is a whole number (epochs, seeds): a tick per value
    double firstX = 0, lastX = 0;
    QStringList notPlotted; ///< "rate 0.5 (running)", one per cell without a value

    /// Builds the chart of `metric` (Hit@`k`) against axis `xAxis` of `sweep`.
    static SweepChartSeries build(const SweepData &sweep, int xAxis, SweepMetric metric, int k = 10);
};

} // namespace poisonlab::ui
