#pragma once

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace poisonlab::demo {

/// A colour captions may name. The palette is spread out so that the nearest name of a
/// rendered pixel (after jitter and blur) is still the name the caption used.
struct NamedColour {
    std::string name; ///< "red", "blue"...
    cv::Vec3b bgr;

    /// The palette: red, orange, yellow, green, blue, purple, pink, brown, white, grey, black.
    static const std::vector<NamedColour> &palette();
    /// The palette entry closest (Euclidean, BGR) to `bgr`.
    static const NamedColour &nearest(const cv::Vec3b &bgr);
    /// The entry called `name`; throws std::out_of_range when there is none.
    static const NamedColour &byName(const std::string &name);
};

} // namespace poisonlab::demo
