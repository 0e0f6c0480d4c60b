#include "PlotFrame.h"

#include <algorithm>

namespace poisonlab::report {

namespace {
constexpr double kPad = 10;
constexpr double kLegendRow = 16;
constexpr double kLegendSwatch = 22;
} // namespace

PlotFrame::PlotFrame(const Chart &chart, const Ticks &xTicks, const Ticks &yTicks, std::vector<LegendEntry> legend,
                     std::vector<std::string> xCategories)
    : m_chart(chart), m_xTicks(xTicks), m_yTicks(yTicks), m_legend(std::move(legend)),
      m_categories(std::move(xCategories))
{
    double yTickWidth = 0;
    for (double v : m_yTicks.values)
        yTickWidth = std::max(yTickWidth, Canvas::textWidth(formatTick(v, m_yTicks.decimals), style::kTick));
    m_left = kPad + (chart.yLabel.empty() ? 0 : style::kLabel + 8) + yTickWidth + 8;
    m_top = kPad + (chart.title.empty() ? 0 : style::kTitle + 12);
    m_bottom = chart.height - kPad - (chart.xLabel.empty() ? 0 : style::kLabel + 8) - style::kTick - 10;
    m_right = chart.width - kPad - (m_legend.empty() ? 6 : legendWidth(m_legend) + 12);
    m_right = std::max(m_right, m_left + 40);
    m_bottom = std::max(m_bottom, m_top + 40);
    if (m_categories.empty())
        m_x = AxisMap(m_xTicks.min, m_xTicks.max, m_left, m_right);
    else
        m_x = AxisMap(0, double(m_categories.size()), m_left, m_right);
    m_y = AxisMap(m_yTicks.min, m_yTicks.max, m_bottom, m_top);
}

double PlotFrame::categoryCentre(std::size_t i) const
{
    return m_x(double(i) + 0.5);
}

double PlotFrame::categoryWidth() const
{
    return m_categories.empty() ? 0 : (m_right - m_left) / double(m_categories.size());
}

void PlotFrame::drawGrid(Canvas &canvas) const
{
    canvas.beginGroup("grid");
    for (double v : m_yTicks.values)
        canvas.polyline({{m_left, m_y(v)}, {m_right, m_y(v)}}, {style::kGrid, 1});
    if (m_categories.empty())
        for (double v : m_xTicks.values)
            canvas.polyline({{m_x(v), m_top}, {m_x(v), m_bottom}}, {style::kGrid, 1});
    canvas.endGroup();
}

void PlotFrame::drawAxes(Canvas &canvas) const
{
    canvas.beginGroup("axes");
    canvas.rect(m_left, m_top, m_right - m_left, m_bottom - m_top, std::nullopt, Stroke{style::kAxis, 1});
    for (double v : m_yTicks.values) {
        const double py = m_y(v);
        canvas.polyline({{m_left - 4, py}, {m_left, py}}, {style::kAxis, 1});
        canvas.text(m_left - 7, py, formatTick(v, m_yTicks.decimals), style::kTick, style::kInk, Anchor::End);
    }
    const double tickTextY = m_bottom + 6 + style::kTick / 2 + 2;
    if (m_categories.empty()) {
        for (double v : m_xTicks.values) {
            const double px = m_x(v);
            canvas.polyline({{px, m_bottom}, {px, m_bottom + 4}}, {style::kAxis, 1});
            canvas.text(px, tickTextY, formatTick(v, m_xTicks.decimals), style::kTick, style::kInk, Anchor::Middle);
        }
    } else {
        for (std::size_t i = 0; i < m_categories.size(); ++i)
            canvas.text(categoryCentre(i), tickTextY, m_categories[i], style::kTick, style::kInk, Anchor::Middle);
    }
    if (!m_chart.xLabel.empty())
        canvas.text((m_left + m_right) / 2, m_chart.height - kPad - style::kLabel / 2, m_chart.xLabel, style::kLabel,
                    style::kInk, Anchor::Middle);
    if (!m_chart.yLabel.empty())
        canvas.text(kPad + style::kLabel / 2, (m_top + m_bottom) / 2, m_chart.yLabel, style::kLabel, style::kInk,
                    Anchor::Middle, false, true);
    canvas.endGroup();
    drawTitle(canvas, m_chart);
    if (!m_legend.empty())
        drawLegend(canvas, m_legend, m_right + 12, m_top + 4, m_chart.height - kPad);
}

void PlotFrame::drawTitle(Canvas &canvas, const Chart &chart)
{
    if (!chart.title.empty())
        canvas.text(chart.width / 2.0, kPad + style::kTitle / 2, chart.title, style::kTitle, style::kInk,
                    Anchor::Middle, true);
}

double PlotFrame::legendWidth(const std::vector<LegendEntry> &entries)
{
    double w = 0;
    for (const auto &e : entries)
        w = std::max(w, Canvas::textWidth(e.label, style::kLegend));
    return kLegendSwatch + 6 + std::min(w, 220.0);
}

void PlotFrame::drawLegend(Canvas &canvas, const std::vector<LegendEntry> &entries, double x, double y,
                           double maxBottom)
{
    canvas.beginGroup("legend");
    const std::size_t fit = static_cast<std::size_t>(std::max(1.0, (maxBottom - y) / kLegendRow));
    const std::size_t shown = entries.size() <= fit ? entries.size() : fit - 1;
    for (std::size_t i = 0; i < shown; ++i) {
        const auto &e = entries[i];
        const double cy = y + kLegendRow * (double(i) + 0.5);
        const double mx = x + kLegendSwatch / 2;
        using K = LegendEntry::Kind;
        switch (e.kind) {
        case K::Line:
        case K::DashedLine:
            canvas.polyline({{x, cy}, {x + kLegendSwatch, cy}}, {e.colour, 2, e.kind == K::DashedLine});
            break;
        case K::Box:
            canvas.rect(x + 4, cy - 5, kLegendSwatch - 8, 10, e.colour, std::nullopt);
            break;
        case K::Dot:
            canvas.circle(mx, cy, 3.5, e.colour, std::nullopt);
            break;
        case K::Square:
            canvas.rect(mx - 3.5, cy - 3.5, 7, 7, e.colour, std::nullopt);
            break;
        case K::Ring:
            canvas.circle(mx, cy, 5, Colour{255, 255, 255}, Stroke{e.colour, 1.5});
            break;
        }
        canvas.text(x + kLegendSwatch + 6, cy, e.label, style::kLegend, style::kInk, Anchor::Start);
    }
    if (shown < entries.size())
        canvas.text(x, y + kLegendRow * (double(shown) + 0.5),
                    "... " + std::to_string(entries.size() - shown) + " more", style::kLegend, style::kMuted,
                    Anchor::Start);
    canvas.endGroup();
}

} // namespace poisonlab::report
