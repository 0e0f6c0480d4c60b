#pragma once

#include "poisonlab/core/analysis/MinRankGrid.h"

#include <QPalette>
#include <QPoint>
#include <QWidget>

#include <functional>
#include <memory>
#include <optional>

namespace poisonlab::ui {

/// The values a class-pair heatmap colours its cells by.
enum class GridMetric { MinRank, HitAtK };

/// The class-pair grid, drawn: a cell per (A, B), rows A (the query captions' class), columns B
/// (the target images' class), coloured with viridis (bright = the goal "A's captions retrieve
/// B's images" is met: a low MinRank, on a log scale, or a high Hit@K), class names on both axes
/// (the columns' turned upright when they do not fit across), a colour bar with its scale, the
/// value in each cell when cells are large enough. Hover outlines a cell and tells its values
/// (hoverText(), also as a tooltip); a click emits cellClicked(). paintGrid() draws the same into
/// any painter and rectangle with any palette, for exports.
class ClassPairHeatmap : public QWidget {
    Q_OBJECT
public:
    explicit ClassPairHeatmap(QWidget *parent = nullptr);

    void setGrid(std::shared_ptr<const analysis::MinRankGrid> grid);
    std::shared_ptr<const analysis::MinRankGrid> grid() const { return m_grid; }
    void setMetric(GridMetric metric);
    GridMetric metric() const { return m_metric; }

    /// Replaces cellText() (hover line, tooltip) where the grid's cells mean something else than a
    /// run's class pairs: a sweep's cells tell their run and state. Empty: the default text.
    void setCellDescriber(std::function<QString(int row, int column)> describe) { m_describe = std::move(describe); }

    /// The value a cell shows under the current metric (nullopt: empty cell).
    std::optional<double> value(int row, int column) const;
    /// The cell under a widget position, as (row, column).
    std::optional<QPoint> cellAt(const QPointF &pos) const;
    /// A cell's rectangle in widget coordinates (empty when out of range).
    QRectF cellRect(int row, int column) const;
    /// "sheep → aeroplane: MinRank 4.56, Hit@10 82.4 %" for a cell.
    QString cellText(int row, int column) const;
    /// The hovered cell's cellText(), empty when the mouse is over no cell.
    QString hoverText() const;

    /// Draws the grid into `target` with `palette` (axes, labels, colour bar), centred, without the
    /// hover's emphasis; `title` on top when not empty. For exports.
    void paintGrid(QPainter &painter, const QRectF &target, const QPalette &palette, const QString &title = {}) const;
    /// paintGrid() with `title` in slide-sized type to a PNG, SVG or PDF file (ChartExporter);
    /// false with `error` set when it cannot be written.
    bool exportTo(const QString &path, QSize size, const QString &title, QString *error) const;

    QSize sizeHint() const override { return {720, 560}; }
    QSize minimumSizeHint() const override { return {320, 260}; }

Q_SIGNALS:
    void cellClicked(int row, int column);
    void cellHovered(int row, int column); ///< (-1, -1) when the mouse leaves the cells

protected:
    void paintEvent(QPaintEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void leaveEvent(QEvent *event) override;

private:
    struct Layout;
    Layout layout(const QRectF &target, const QFont &font, bool withTitle, bool centred) const;
    double colourPosition(double value) const; ///< 0 (dark) .. 1 (bright)
    double scaleMax() const;
    void paintColourBar(QPainter &painter, const Layout &l, const QPalette &palette) const;
    void paintLabels(QPainter &painter, const Layout &l, const QPalette &palette, std::optional<QPoint> bold) const;
    void paint(QPainter &painter, const Layout &l, const QPalette &palette, const QString &title,
               std::optional<QPoint> hovered) const;
    void setHovered(std::optional<QPoint> cell);

    std::shared_ptr<const analysis::MinRankGrid> m_grid;
    GridMetric m_metric = GridMetric::MinRank;
    std::optional<QPoint> m_hovered;
    std::optional<QPoint> m_pressed;
    std::function<QString(int, int)> m_describe;
};

} // namespace poisonlab::ui
