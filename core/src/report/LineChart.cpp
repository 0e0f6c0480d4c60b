#include "poisonlab/core/report/LineChart.h"

#include "PlotFrame.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace poisonlab::report {

Chart::~Chart() = default;

namespace {

std::pair<double, double> range(const std::vector<LineChart::Series> &series, bool xAxis,
                                const std::vector<LineChart::VerticalLine> &vlines)
{
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (const auto &s : series) {
        const std::size_t n = std::min(s.x.size(), s.y.size());
        for (std::size_t i = 0; i < n; ++i) {
            if (!std::isfinite(s.x[i]) || !std::isfinite(s.y[i]))
                continue;
            const double v = xAxis ? s.x[i] : s.y[i];
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        if (!xAxis && s.fill)
            lo = std::min(lo, 0.0);
    }
    if (xAxis)
        for (const auto &v : vlines) {
            lo = std::min(lo, v.x);
            hi = std::max(hi, v.x);
        }
    return {lo, hi};
}

} // namespace

void LineChart::draw(Canvas &canvas) const
{
    const auto [x0, x1] = xRange.value_or(range(series, true, verticalLines));
    const auto [y0, y1] = yRange.value_or(range(series, false, verticalLines));
    Ticks xt = niceTicks(x0, x1, 6);
    if (integerX && xt.step < 1) { // a few whole numbers: one tick each
        xt = Ticks{std::floor(x0), std::max(std::ceil(x1), std::floor(x0) + 1), 1, 0, {}};
        for (double v = xt.min; v <= xt.max + 1e-9; v += 1)
            xt.values.push_back(v);
    }
    if (xRange) { // keep the requested range exactly (ROC: 0..1)
        xt.min = x0;
        xt.max = x1;
    }
    Ticks yt = niceTicks(y0, y1, 5);
    if (yRange) {
        yt.min = y0;
        yt.max = y1;
    }
    for (Ticks *t : {&xt, &yt})
        std::erase_if(t->values, [t](double v) {
            const double eps = 1e-9 * (t->max - t->min);
            return v < t->min - eps || v > t->max + eps;
        });
    std::vector<LegendEntry> entries;
    if (legend)
        for (std::size_t i = 0; i < series.size(); ++i)
            if (!series[i].name.empty())
                entries.push_back({series[i].name, series[i].colour.value_or(categoricalColour(i)),
                                   series[i].dashed ? LegendEntry::Kind::DashedLine : LegendEntry::Kind::Line});
    for (const auto &v : verticalLines)
        if (!v.label.empty() && legend)
            entries.push_back({v.label, v.colour, LegendEntry::Kind::DashedLine});
    PlotFrame frame(*this, xt, yt, entries);
    frame.drawGrid(canvas);
    const auto &mx = frame.x();
    const auto &my = frame.y();
    auto clampY = [&](double py) { return std::clamp(py, frame.top(), frame.bottom()); };
    if (diagonal)
        canvas.polyline({{mx(std::max(xt.min, yt.min)), clampY(my(std::max(xt.min, yt.min)))},
                         {mx(std::min(xt.max, yt.max)), clampY(my(std::min(xt.max, yt.max)))}},
                        {style::kMuted, 1, true});
    for (std::size_t i = 0; i < series.size(); ++i) {
        const auto &s = series[i];
        const Colour colour = s.colour.value_or(categoricalColour(i));
        canvas.beginGroup("series");
        // Runs of finite points; each is drawn (and filled) on its own.
        std::vector<std::vector<Point>> runs(1);
        const std::size_t n = std::min(s.x.size(), s.y.size());
        for (std::size_t k = 0; k < n; ++k) {
            if (std::isfinite(s.x[k]) && std::isfinite(s.y[k]))
                runs.back().push_back({mx(s.x[k]), clampY(my(s.y[k]))});
            else if (!runs.back().empty())
                runs.emplace_back();
        }
        for (const auto &run : runs) {
            if (run.empty())
                continue;
            if (s.fill && run.size() > 1) {
                std::vector<Point> area = run;
                const double base = clampY(my(0));
                area.push_back({run.back().x, base});
                area.push_back({run.front().x, base});
                canvas.polygon(area, colour, 0.25);
            }
            canvas.polyline(run, {colour, s.width, s.dashed});
            if (s.markers || run.size() == 1)
                for (const auto &p : run)
                    canvas.circle(p.x, p.y, s.width + 1.5, colour, std::nullopt);
        }
        canvas.endGroup();
    }
    for (const auto &v : verticalLines)
        canvas.polyline({{mx(v.x), frame.top()}, {mx(v.x), frame.bottom()}}, {v.colour, 1.5, true});
    frame.drawAxes(canvas);
}

} // namespace poisonlab::report
