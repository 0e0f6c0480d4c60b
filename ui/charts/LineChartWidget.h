#pragma once

#include <QList>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QWidget>

#include <optional>
#include <utility>

class QChart;
class QChartView;
class QLabel;
class QLineSeries;
class QStackedLayout;
class QValueAxis;

namespace poisonlab::ui {

/// One named line of a LineChartWidget.
struct ChartSeries {
    QString name;
    QList<QPointF> points;
};

/// A line chart (Qt Charts) with an Export… button (PNG, SVG or PDF of a chosen size, light-themed
/// for slides, through ChartExportDialog and ChartExporter), and a placeholder text shown instead
/// of the chart when there is nothing to draw ("not in this run").
class LineChartWidget : public QWidget {
    Q_OBJECT
public:
    LineChartWidget(const QString &xTitle, const QString &yTitle, QWidget *parent = nullptr);

    /// Replaces every line; the axes fit the data unless fixed ranges are set.
    void setSeries(const QList<ChartSeries> &series);
    /// Fixes an axis range (e.g. [0, 1] for rates); std::nullopt fits the data again.
    void setXRange(std::optional<std::pair<double, double>> range);
    void setYRange(std::optional<std::pair<double, double>> range);
    void setTitle(const QString &title);
    /// Shows `text` instead of the chart (empty: show the chart).
    void setPlaceholder(const QString &text);
    QString placeholder() const;

    QChart *chart() const;
    QChartView *chartView() const { return m_view; }
    int seriesCount() const;
    QLineSeries *series(int index) const;

    /// Writes the chart at the default export size (900 x 560; a PNG has twice the pixels).
    bool exportTo(const QString &path, QString *error = nullptr) const;
    /// Writes the chart at `size` (logical pixels); the format follows the path's suffix.
    bool exportTo(const QString &path, QSize size, QString *error = nullptr) const;
    /// The export dialog: size, format and file.
    void exportInteractively();

protected:
    /// Adds points to line `index` (created when missing) without re-fitting the other lines.
    void appendPoints(int index, const QList<QPointF> &points, const QString &name = {});
    void removeAllSeries();
    void fitAxes();

private:
    QLineSeries *addLine(const QString &name);

    QValueAxis *m_x;
    QValueAxis *m_y;
    QChartView *m_view;
    QLabel *m_placeholder;
    QStackedLayout *m_stack;
    std::optional<std::pair<double, double>> m_xRange, m_yRange;
    double m_minX = 0, m_maxX = 0, m_minY = 0, m_maxY = 0;
    bool m_haveData = false;
};

} // namespace poisonlab::ui
