#include "poisonlab/core/report/Canvas.h"

#include "HersheyText.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

namespace poisonlab::report {

Canvas::~Canvas() = default;

std::string Colour::hex() const
{
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", r, g, b);
    return buf;
}

Colour categoricalColour(std::size_t index)
{
    static const std::array<Colour, 20> palette = {
        {{31, 119, 180},  {255, 127, 14},  {44, 160, 44},   {214, 39, 40},   {148, 103, 189},
         {140, 86, 75},   {227, 119, 194}, {127, 127, 127}, {188, 189, 34},  {23, 190, 207},
         {174, 199, 232}, {255, 187, 120}, {152, 223, 138}, {255, 152, 150}, {197, 176, 213},
         {196, 156, 148}, {247, 182, 210}, {199, 199, 199}, {219, 219, 141}, {158, 218, 229}}};
    return palette[index % palette.size()];
}

Colour viridis(double t)
{
    // Nine samples of matplotlib's viridis, linearly interpolated.
    static const std::array<Colour, 9> stops = {{{68, 1, 84},
                                                 {71, 44, 122},
                                                 {59, 81, 139},
                                                 {44, 113, 142},
                                                 {33, 144, 141},
                                                 {39, 173, 129},
                                                 {92, 200, 99},
                                                 {170, 220, 50},
                                                 {253, 231, 37}}};
    if (!std::isfinite(t))
        t = 0;
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const auto i = std::min<std::size_t>(static_cast<std::size_t>(t), stops.size() - 2);
    const double f = t - static_cast<double>(i);
    auto mix = [f](std::uint8_t a, std::uint8_t b) { return static_cast<std::uint8_t>(std::lround(a + (b - a) * f)); };
    return {mix(stops[i].r, stops[i + 1].r), mix(stops[i].g, stops[i + 1].g), mix(stops[i].b, stops[i + 1].b)};
}

double Canvas::textWidth(const std::string &text, double size)
{
    return hersheyTextWidth(text, size);
}

} // namespace poisonlab::report
