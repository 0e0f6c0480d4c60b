#pragma once

#include "poisonlab/core/report/Canvas.h"
#include "poisonlab/core/report/Chart.h"
#include "poisonlab/core/report/NiceScale.h"

#include <optional>
#include <string>
#include <vector>

namespace poisonlab::report {

// Shared look of the x/y charts: fonts, colours, margins, grid, axes, title and a legend in the
// right margin.
namespace style {
constexpr double kTitle = 15, kLabel = 13, kTick = 11, kLegend = 11;
constexpr Colour kInk{34, 34, 34}, kAxis{80, 80, 80}, kGrid{226, 226, 226}, kMuted{120, 120, 120};
} // namespace style

struct LegendEntry {
    enum class Kind { Line, DashedLine, Box, Dot, Square, Ring };
    std::string label;
    Colour colour;
    Kind kind = Kind::Line;
};

/// Lays out the plot area of a chart and draws everything but the data.
class PlotFrame {
public:
    /// Numeric x axis (`xTicks`) or, when `xCategories` is not empty, one slot per category.
    PlotFrame(const Chart &chart, const Ticks &xTicks, const Ticks &yTicks, std::vector<LegendEntry> legend,
              std::vector<std::string> xCategories = {});

    double left() const { return m_left; }
    double right() const { return m_right; }
    double top() const { return m_top; }
    double bottom() const { return m_bottom; }
    const AxisMap &x() const { return m_x; }
    const AxisMap &y() const { return m_y; }
    /// Category slot i: its centre and its width.
    double categoryCentre(std::size_t i) const;
    double categoryWidth() const;

    void drawGrid(Canvas &canvas) const;
    void drawAxes(Canvas &canvas) const;
    /// The legend box at the right margin (`at`: top of the first entry).
    static void drawLegend(Canvas &canvas, const std::vector<LegendEntry> &entries, double x, double y,
                           double maxBottom);
    static double legendWidth(const std::vector<LegendEntry> &entries);
    static void drawTitle(Canvas &canvas, const Chart &chart);

private:
    const Chart &m_chart;
    Ticks m_xTicks, m_yTicks;
    std::vector<LegendEntry> m_legend;
    std::vector<std::string> m_categories;
    double m_left = 0, m_right = 0, m_top = 0, m_bottom = 0;
    AxisMap m_x{0, 1, 0, 1}, m_y{0, 1, 0, 1};
};

} // namespace poisonlab::report
