#pragma once

#include "poisonlab/core/demo/SceneFacts.h"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace poisonlab {
class Rng;
}

namespace poisonlab::demo {

/// Paints a random background: a flat named colour, a two-colour gradient, a two-colour texture
/// (stripes, checks, dots) or a simple procedural scene (grass, sky, beach, sea, snow, night,
/// road, brick wall, wooden floor, desert, sunset, room). Every choice comes from the Rng.
class BackgroundPainter {
public:
    /// The scene names, in the order they are drawn from.
    static const std::vector<std::string> &sceneNames();

    /// Fills `canvas` (CV_8UC3, any size) and says what it painted.
    static BackgroundFacts paint(cv::Mat &canvas, Rng &rng);
    static BackgroundFacts paintFlat(cv::Mat &canvas, Rng &rng);
    static BackgroundFacts paintGradient(cv::Mat &canvas, Rng &rng);
    static BackgroundFacts paintTexture(cv::Mat &canvas, Rng &rng);
    static BackgroundFacts paintScene(cv::Mat &canvas, Rng &rng, const std::string &scene);
};

} // namespace poisonlab::demo
