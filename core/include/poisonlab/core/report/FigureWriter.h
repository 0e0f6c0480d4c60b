#pragma once

#include "poisonlab/core/report/Chart.h"

#include <opencv2/core.hpp>

#include <filesystem>
#include <string>

namespace poisonlab::report {

/// The default PNG density: two pixels per figure unit (a 720 x 440 figure is 1440 x 880 px).
constexpr double kPngScale = 2.0;

std::string renderSvg(const Chart &chart);
cv::Mat renderPng(const Chart &chart, double scale = kPngScale);

struct FigureFiles {
    std::filesystem::path svg, png;
};

/// Writes `dir/name.svg` and `dir/name.png` (atomically, folders created).
FigureFiles writeFigure(const Chart &chart, const std::filesystem::path &dir, const std::string &name,
                        double scale = kPngScale);

} // namespace poisonlab::report
