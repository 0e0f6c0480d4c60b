#pragma once

#include "charts/LineChartWidget.h"

#include <QColor>
#include <QList>
#include <QWidget>

#include <limits>

class QAreaSeries;
class QLineSeries;

namespace poisonlab::ui {

/// One filled curve of a DensityChart.
struct DensityCurve {
    QString name;
    QList<QPointF> points; ///< (x, density), x ascending
    QColor color;
};

/// Densities as filled curves on one pair of axes (a LineChartWidget, so Export… comes with it),
/// with an optional vertical threshold line the user drags with the mouse: a press in the plot
/// moves the line there, dragging follows the pointer, and thresholdDragged() reports each value.
class DensityChart : public QWidget {
    Q_OBJECT
public:
    DensityChart(const QString &xTitle, const QString &yTitle, QWidget *parent = nullptr);

    /// Replaces the curves; the x axis spans them, y runs from 0 to above the highest peak.
    /// A curve without a colour takes the chart theme's next one. Distances are never negative,
    /// so the x axis starts at 0 at the lowest.
    void setCurves(const QList<DensityCurve> &curves);
    /// Ends the x axis at `x` (e.g. a high percentile, so a long thin tail does not squash the
    /// peaks); NaN: the curves' end.
    void setXLimit(double x);
    void setTitle(const QString &title);
    void setPlaceholder(const QString &text);

    /// Shows the draggable line (hidden until called once).
    void setThresholdEnabled(bool enabled);
    /// Moves the line (no signal).
    void setThreshold(double x);
    double threshold() const { return m_threshold; }

    /// Where x lies in the chart view's viewport, at mid height of the plot (for tests and hints).
    QPoint viewportPosition(double x) const;
    /// The x value under a viewport position.
    double valueAt(const QPoint &viewportPos) const;
    LineChartWidget *lineChart() const { return m_chart; }

Q_SIGNALS:
    void thresholdDragged(double x);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addFill(const DensityCurve &curve, QLineSeries *line);
    void drawThresholdLine();

    LineChartWidget *m_chart;
    QLineSeries *m_line = nullptr; ///< owned by the chart; recreated after setCurves()
    double m_threshold = 0;
    double m_top = 1;
    double m_xLimit = std::numeric_limits<double>::quiet_NaN();
    bool m_thresholdEnabled = false;
    bool m_dragging = false;
};

} // namespace poisonlab::ui
