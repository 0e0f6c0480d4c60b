#pragma once

#include "poisonlab/core/report/Canvas.h"

#include <opencv2/core.hpp>

#include <string>

namespace poisonlab::report {

/// Rasterises with OpenCV (anti-aliased lines, shapes and Hershey text) onto a white BGR image
/// of (width x scale, height x scale) pixels: the same layout as the SVG, `scale` times as dense.
class PngCanvas final : public Canvas {
public:
    PngCanvas(int width, int height, double scale = 2.0);

    void beginGroup(const std::string &) override {}
    void endGroup() override {}
    void polyline(const std::vector<Point> &points, const Stroke &stroke) override;
    void polygon(const std::vector<Point> &points, Colour fill, double opacity) override;
    void rect(double x, double y, double w, double h, std::optional<Colour> fill,
              std::optional<Stroke> stroke) override;
    void circle(double cx, double cy, double r, Colour fill, std::optional<Stroke> stroke) override;
    void text(double x, double y, const std::string &text, double size, Colour colour, Anchor anchor, bool bold = false,
              bool vertical = false) override;

    const cv::Mat &image() const { return m_image; }
    /// The image as PNG bytes.
    std::string encodePng() const;

private:
    cv::Point px(Point p) const; ///< fixed point with kShift fractional bits
    int thickness(double width) const;

    cv::Mat m_image;
    double m_scale;
};

} // namespace poisonlab::report
