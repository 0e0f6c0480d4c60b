#include "poisonlab/core/report/HeatmapChart.h"

#include "PlotFrame.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace poisonlab::report {

void HeatmapChart::draw(Canvas &canvas) const
{
    const std::size_t rows = values.size();
    std::size_t cols = 0;
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &r : values) {
        cols = std::max(cols, r.size());
        for (double v : r)
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
    }
    Ticks scale = niceTicks(lo, hi, 5);
    const double pad = 10, tick = style::kTick;
    double rowLabelWidth = 0, colLabelWidth = 0, barTickWidth = 0;
    for (const auto &l : rowLabels)
        rowLabelWidth = std::max(rowLabelWidth, Canvas::textWidth(l, tick));
    for (const auto &l : columnLabels)
        colLabelWidth = std::max(colLabelWidth, Canvas::textWidth(l, tick));
    for (double v : scale.values)
        barTickWidth = std::max(barTickWidth, Canvas::textWidth(formatTick(v, scale.decimals), tick));
    const double top = pad + (title.empty() ? 0 : style::kTitle + 12);
    const double left = pad + (yLabel.empty() ? 0 : style::kLabel + 8) + rowLabelWidth + 6;
    const double barArea = 14 + 6 + barTickWidth + (colourLabel.empty() ? 0 : style::kLabel + 10) + pad;
    const double bottomSpace = 6 + colLabelWidth + (xLabel.empty() ? 0 : style::kLabel + 10) + pad;
    const double availW = width - left - barArea - 12, availH = height - top - bottomSpace;
    const double cell =
        std::max(2.0, std::min(availW / std::max<std::size_t>(cols, 1), availH / std::max<std::size_t>(rows, 1)));
    const double gridW = cell * double(cols), gridH = cell * double(rows);
    auto colourOf = [&](double v) {
        const double t = (v - scale.min) / (scale.max - scale.min);
        return viridis(reversed ? 1 - t : t);
    };
    const bool annotate = cell >= Canvas::textWidth("000.0", 9) + 4;
    for (std::size_t r = 0; r < rows; ++r) {
        canvas.beginGroup("series");
        for (std::size_t c = 0; c < values[r].size(); ++c) {
            const double v = values[r][c];
            const double x = left + cell * double(c), y = top + cell * double(r);
            const Colour fill = std::isfinite(v) ? colourOf(v) : Colour{221, 221, 221};
            canvas.rect(x, y, cell, cell, fill, std::nullopt);
            if (annotate && std::isfinite(v)) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.*f", valueDecimals, v);
                const bool dark = 0.299 * fill.r + 0.587 * fill.g + 0.114 * fill.b < 140;
                canvas.text(x + cell / 2, y + cell / 2, buf, 9, dark ? Colour{255, 255, 255} : style::kInk,
                            Anchor::Middle);
            }
        }
        canvas.endGroup();
    }
    canvas.beginGroup("axes");
    canvas.rect(left, top, gridW, gridH, std::nullopt, Stroke{style::kAxis, 1});
    for (std::size_t r = 0; r < rows && r < rowLabels.size(); ++r)
        canvas.text(left - 6, top + cell * (double(r) + 0.5), rowLabels[r], tick, style::kInk, Anchor::End);
    for (std::size_t c = 0; c < cols && c < columnLabels.size(); ++c)
        canvas.text(left + cell * (double(c) + 0.5), top + gridH + 6, columnLabels[c], tick, style::kInk, Anchor::End,
                    false, true);
    if (!xLabel.empty())
        canvas.text(left + gridW / 2, top + gridH + 6 + colLabelWidth + 8 + style::kLabel / 2, xLabel, style::kLabel,
                    style::kInk, Anchor::Middle);
    if (!yLabel.empty())
        canvas.text(pad + style::kLabel / 2, top + gridH / 2, yLabel, style::kLabel, style::kInk, Anchor::Middle, false,
                    true);
    // The colour bar: a stack of thin bands, ticks on its right.
    const double barX = left + gridW + 16, barH = gridH;
    const AxisMap barY(scale.min, scale.max, top + barH, top);
    constexpr int kBands = 64;
    for (int i = 0; i < kBands; ++i) {
        const double v0 = scale.min + (scale.max - scale.min) * i / kBands;
        const double v1 = scale.min + (scale.max - scale.min) * (i + 1) / kBands;
        canvas.rect(barX, barY(v1), 14, barY(v0) - barY(v1) + 0.3, colourOf((v0 + v1) / 2), std::nullopt);
    }
    canvas.rect(barX, top, 14, barH, std::nullopt, Stroke{style::kAxis, 1});
    for (double v : scale.values) {
        canvas.polyline({{barX + 14, barY(v)}, {barX + 18, barY(v)}}, {style::kAxis, 1});
        canvas.text(barX + 21, barY(v), formatTick(v, scale.decimals), tick, style::kInk, Anchor::Start);
    }
    if (!colourLabel.empty())
        canvas.text(barX + 24 + barTickWidth + style::kLabel / 2, top + barH / 2, colourLabel, style::kLabel,
                    style::kInk, Anchor::Middle, false, true);
    canvas.endGroup();
    PlotFrame::drawTitle(canvas, *this);
}

} // namespace poisonlab::report
