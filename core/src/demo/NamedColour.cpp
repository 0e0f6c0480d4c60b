#include "poisonlab/core/demo/NamedColour.h"

#include <stdexcept>

namespace poisonlab::demo {

const std::vector<NamedColour> &NamedColour::palette()
{
    // BGR order (OpenCV's).
    static const std::vector<NamedColour> colours{
        {"red", {40, 40, 215}},     {"orange", {30, 140, 245}}, {"yellow", {50, 222, 245}}, {"green", {70, 170, 55}},
        {"blue", {215, 105, 45}},   {"purple", {175, 65, 135}}, {"pink", {195, 150, 250}},  {"brown", {40, 80, 130}},
        {"white", {245, 245, 245}}, {"grey", {128, 128, 128}},  {"black", {25, 25, 25}},
    };
    return colours;
}

const NamedColour &NamedColour::nearest(const cv::Vec3b &bgr)
{
    const NamedColour *best = nullptr;
    int bestDistance = 0;
    for (const NamedColour &c : palette()) {
        int d = 0;
        for (int k = 0; k < 3; ++k) {
            const int diff = int(c.bgr[k]) - int(bgr[k]);
            d += diff * diff;
        }
        if (!best || d < bestDistance) {
            best = &c;
            bestDistance = d;
        }
    }
    return *best;
}

const NamedColour &NamedColour::byName(const std::string &name)
{
    for (const NamedColour &c : palette())
        if (c.name == name)
            return c;
    throw std::out_of_range("no colour named '" + name + "'");
}

} // namespace poisonlab::demo
