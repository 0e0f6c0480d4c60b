#pragma once

#include <QString>

namespace poisonlab::ui {

class LineChartWidget;

/// The x axis of the result charts, set after LineChartWidget::setSeries() has fitted it:
/// whole numbers (epochs, K) get a tick per value instead of 0.75, 1.5, 2.25.
namespace ChartAxes {

/// Ticks at whole numbers from `first` (at most about ten of them), labelled without decimals.
void integerX(LineChartWidget *chart, const QString &title, int first, int last);
/// Five evenly spaced ticks with short labels (rates, shares).
void continuousX(LineChartWidget *chart, const QString &title);

} // namespace ChartAxes

} // namespace poisonlab::ui
