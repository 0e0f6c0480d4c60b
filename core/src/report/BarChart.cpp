#include "poisonlab/core/report/BarChart.h"

#include "PlotFrame.h"

#include <algorithm>
#include <cmath>

namespace poisonlab::report {

void BarChart::draw(Canvas &canvas) const
{
    double hi = 0, lo = 0;
    for (const auto &g : groups)
        for (double v : g.values)
            if (std::isfinite(v)) {
                hi = std::max(hi, v);
                lo = std::min(lo, v);
            }
    const auto [y0, y1] = yRange.value_or(std::make_pair(lo, hi > lo ? hi * 1.08 : lo + 1));
    Ticks yt = niceTicks(y0, y1, 5);
    if (yRange) {
        yt.min = y0;
        yt.max = y1;
        std::erase_if(yt.values, [&](double v) { return v < y0 - 1e-12 || v > y1 + 1e-12; });
    }
    std::vector<LegendEntry> entries;
    for (std::size_t i = 0; i < groups.size(); ++i)
        entries.push_back({groups[i].name, groups[i].colour.value_or(categoricalColour(i)), LegendEntry::Kind::Box});
    PlotFrame frame(*this, Ticks{}, yt, entries, categories);
    frame.drawGrid(canvas);
    const double slot = frame.categoryWidth();
    const double barWidth = groups.empty() ? 0 : slot * 0.8 / double(groups.size());
    const double base = frame.y()(std::clamp(0.0, yt.min, yt.max));
    const double labelSize = std::clamp(barWidth * 0.32, 7.0, 10.0);
    const bool labels = Canvas::textWidth(std::string(std::size_t(valueDecimals) + 2, '0'), labelSize) <= barWidth + 6;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const Colour colour = groups[g].colour.value_or(categoricalColour(g));
        canvas.beginGroup("series");
        for (std::size_t c = 0; c < categories.size() && c < groups[g].values.size(); ++c) {
            const double v = groups[g].values[c];
            if (!std::isfinite(v))
                continue;
            const double x = frame.categoryCentre(c) - slot * 0.4 + barWidth * double(g);
            const double top = std::clamp(frame.y()(v), frame.top(), frame.bottom());
            canvas.rect(x, std::min(top, base), barWidth * 0.92, std::abs(base - top), colour, std::nullopt);
            if (labels) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.*f", valueDecimals, v);
                canvas.text(x + barWidth * 0.46, std::min(top, base) - labelSize * 0.8, buf, labelSize, style::kInk,
                            Anchor::Middle);
            }
        }
        canvas.endGroup();
    }
    frame.drawAxes(canvas);
}

} // namespace poisonlab::report
