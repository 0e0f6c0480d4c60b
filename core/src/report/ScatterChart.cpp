#include "poisonlab/core/report/ScatterChart.h"

#include "PlotFrame.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace poisonlab::report {

void ScatterChart::draw(Canvas &canvas) const
{
    double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
    bool anyAlternate = false, anyPrimary = false, anyHighlight = false;
    for (const auto &p : points) {
        if (!std::isfinite(p.x) || !std::isfinite(p.y))
            continue;
        x0 = std::min(x0, p.x);
        x1 = std::max(x1, p.x);
        y0 = std::min(y0, p.y);
        y1 = std::max(y1, p.y);
        (p.alternate ? anyAlternate : anyPrimary) = true;
        anyHighlight = anyHighlight || p.highlight;
    }
    std::vector<LegendEntry> entries;
    for (std::size_t g = 0; g < groups.size(); ++g)
        entries.push_back({groups[g], categoricalColour(g), LegendEntry::Kind::Dot});
    if (anyPrimary && anyAlternate) {
        entries.push_back({primaryLabel, style::kMuted, LegendEntry::Kind::Dot});
        entries.push_back({alternateLabel, style::kMuted, LegendEntry::Kind::Square});
    }
    if (anyHighlight)
        entries.push_back({highlightLabel, style::kInk, LegendEntry::Kind::Ring});
    // A margin of 4% keeps points off the frame.
    const double padX = (x1 - x0) * 0.04, padY = (y1 - y0) * 0.04;
    PlotFrame frame(*this, niceTicks(x0 - padX, x1 + padX, 6), niceTicks(y0 - padY, y1 + padY, 5), entries);
    frame.drawGrid(canvas);
    const auto &mx = frame.x();
    const auto &my = frame.y();
    for (std::size_t g = 0; g < groups.size(); ++g) {
        const Colour colour = categoricalColour(g);
        canvas.beginGroup("series");
        for (const auto &p : points) {
            if (p.group != g || !std::isfinite(p.x) || !std::isfinite(p.y))
                continue;
            if (p.alternate)
                canvas.rect(mx(p.x) - 2.2, my(p.y) - 2.2, 4.4, 4.4, colour, std::nullopt);
            else
                canvas.circle(mx(p.x), my(p.y), 2.6, colour, std::nullopt);
        }
        canvas.endGroup();
    }
    // Highlights last, so no other point hides them.
    if (anyHighlight) {
        canvas.beginGroup("highlights");
        for (const auto &p : points)
            if (p.highlight && std::isfinite(p.x) && std::isfinite(p.y))
                canvas.circle(mx(p.x), my(p.y), 4.5, categoricalColour(p.group), Stroke{style::kInk, 1.2});
        canvas.endGroup();
    }
    frame.drawAxes(canvas);
}

} // namespace poisonlab::report
