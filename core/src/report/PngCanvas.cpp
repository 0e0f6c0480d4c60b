#include "poisonlab/core/report/PngCanvas.h"

#include "HersheyText.h"

#include "poisonlab/core/Error.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace poisonlab::report {

namespace {

constexpr int kShift = 4; // sub-pixel bits for OpenCV's anti-aliased drawing

cv::Scalar bgr(Colour c)
{
    return {double(c.b), double(c.g), double(c.r)};
}

// Splits a polyline into dashes of `on` units with gaps of `off` units.
std::vector<std::vector<Point>> dashes(const std::vector<Point> &points, double on, double off)
{
    std::vector<std::vector<Point>> out;
    std::vector<Point> current{points.front()};
    bool drawing = true;
    double left = on;
    for (std::size_t i = 1; i < points.size(); ++i) {
        Point a = points[i - 1];
        const Point b = points[i];
        double segment = std::hypot(b.x - a.x, b.y - a.y);
        while (segment > 1e-9) {
            const double step = std::min(left, segment);
            const double f = step / segment;
            const Point m{a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f};
            if (drawing)
                current.push_back(m);
            left -= step;
            segment -= step;
            a = m;
            if (left <= 1e-9) {
                if (drawing && current.size() > 1)
                    out.push_back(current);
                drawing = !drawing;
                left = drawing ? on : off;
                current = {a};
            }
        }
    }
    if (drawing && current.size() > 1)
        out.push_back(current);
    return out;
}

} // namespace

PngCanvas::PngCanvas(int width, int height, double scale)
    : m_image(static_cast<int>(std::lround(height * scale)), static_cast<int>(std::lround(width * scale)), CV_8UC3,
              cv::Scalar(255, 255, 255)),
      m_scale(scale)
{
}

cv::Point PngCanvas::px(Point p) const
{
    return {static_cast<int>(std::lround(p.x * m_scale * (1 << kShift))),
            static_cast<int>(std::lround(p.y * m_scale * (1 << kShift)))};
}

int PngCanvas::thickness(double width) const
{
    return std::max(1, static_cast<int>(std::lround(width * m_scale)));
}

void PngCanvas::polyline(const std::vector<Point> &points, const Stroke &stroke)
{
    if (points.size() < 2)
        return;
    std::vector<std::vector<Point>> parts =
        stroke.dashed ? dashes(points, 4 * stroke.width, 3 * stroke.width) : std::vector<std::vector<Point>>{points};
    for (const auto &part : parts) {
        std::vector<cv::Point> pts;
        for (const auto &p : part)
            pts.push_back(px(p));
        cv::polylines(m_image, pts, false, bgr(stroke.colour), thickness(stroke.width), cv::LINE_AA, kShift);
    }
}

void PngCanvas::polygon(const std::vector<Point> &points, Colour fill, double opacity)
{
    if (points.size() < 3)
        return;
    std::vector<cv::Point> pts;
    for (const auto &p : points)
        pts.push_back(px(p));
    // Blend through a copy of the polygon's bounding box.
    cv::Rect box = cv::boundingRect(pts);
    box = cv::Rect(box.x >> kShift, box.y >> kShift, (box.width >> kShift) + 2, (box.height >> kShift) + 2) &
          cv::Rect(0, 0, m_image.cols, m_image.rows);
    if (box.area() == 0)
        return;
    cv::Mat roi = m_image(box);
    cv::Mat layer = roi.clone();
    for (auto &p : pts)
        p -= cv::Point(box.x << kShift, box.y << kShift);
    cv::fillPoly(layer, std::vector<std::vector<cv::Point>>{pts}, bgr(fill), cv::LINE_AA, kShift);
    cv::addWeighted(layer, std::clamp(opacity, 0.0, 1.0), roi, 1 - std::clamp(opacity, 0.0, 1.0), 0, roi);
}

void PngCanvas::rect(double x, double y, double w, double h, std::optional<Colour> fill, std::optional<Stroke> stroke)
{
    const cv::Point a(static_cast<int>(std::lround(x * m_scale)), static_cast<int>(std::lround(y * m_scale)));
    const cv::Point b(static_cast<int>(std::lround((x + w) * m_scale)) - 1,
                      static_cast<int>(std::lround((y + h) * m_scale)) - 1);
    if (fill)
        cv::rectangle(m_image, a, b, bgr(*fill), cv::FILLED);
    if (stroke)
        cv::rectangle(m_image, a, b, bgr(stroke->colour), thickness(stroke->width), cv::LINE_AA);
}

void PngCanvas::circle(double cx, double cy, double r, Colour fill, std::optional<Stroke> stroke)
{
    const int radius = static_cast<int>(std::lround(r * m_scale * (1 << kShift)));
    cv::circle(m_image, px({cx, cy}), radius, bgr(fill), cv::FILLED, cv::LINE_AA, kShift);
    if (stroke)
        cv::circle(m_image, px({cx, cy}), radius, bgr(stroke->colour), thickness(stroke->width), cv::LINE_AA, kShift);
}

void PngCanvas::text(double x, double y, const std::string &text, double size, Colour colour, Anchor anchor, bool bold,
                     bool vertical)
{
    const std::string ascii = hersheyAscii(text);
    if (ascii.empty())
        return;
    const double fontPx = size * m_scale;
    const double scale = hersheyScale(fontPx);
    const int thick = hersheyThickness(fontPx, bold);
    int baseline = 0;
    const cv::Size s = cv::getTextSize(ascii, cv::FONT_HERSHEY_SIMPLEX, scale, thick, &baseline);
    // Draw white-on-black into a mask, turn it for vertical text, then blend the colour through it.
    const int pad = thick + 2;
    cv::Mat mask = cv::Mat::zeros(s.height + baseline + 2 * pad, s.width + 2 * pad, CV_8UC1);
    cv::putText(mask, ascii, cv::Point(pad, pad + s.height), cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(255), thick,
                cv::LINE_AA);
    const double capMiddle = pad + s.height / 2.0; // row of the capitals' middle in the mask
    double left = 0, top = 0;
    const double along = anchor == Anchor::Start ? 0 : anchor == Anchor::Middle ? s.width / 2.0 : s.width;
    if (vertical) {
        cv::rotate(mask, mask, cv::ROTATE_90_COUNTERCLOCKWISE);
        // After the turn, the text runs upwards; x is its middle line, y the anchor point.
        left = x * m_scale - capMiddle;
        top = y * m_scale - (mask.rows - pad - along);
    } else {
        left = x * m_scale - pad - along;
        top = y * m_scale - capMiddle;
    }
    const cv::Rect want(static_cast<int>(std::lround(left)), static_cast<int>(std::lround(top)), mask.cols, mask.rows);
    const cv::Rect box = want & cv::Rect(0, 0, m_image.cols, m_image.rows);
    if (box.area() == 0)
        return;
    cv::Mat roi = m_image(box);
    const cv::Mat m = mask(cv::Rect(box.x - want.x, box.y - want.y, box.width, box.height));
    for (int r = 0; r < roi.rows; ++r) {
        auto *dst = roi.ptr<cv::Vec3b>(r);
        const auto *a = m.ptr<std::uint8_t>(r);
        for (int c = 0; c < roi.cols; ++c) {
            const int alpha = a[c];
            if (alpha == 0)
                continue;
            const int rgb[3] = {colour.b, colour.g, colour.r};
            for (int k = 0; k < 3; ++k)
                dst[c][k] = static_cast<std::uint8_t>((rgb[k] * alpha + dst[c][k] * (255 - alpha) + 127) / 255);
        }
    }
}

std::string PngCanvas::encodePng() const
{
    std::vector<uchar> bytes;
    if (!cv::imencode(".png", m_image, bytes, {cv::IMWRITE_PNG_COMPRESSION, 3}))
        throw Error("cannot encode a figure as PNG");
    return {bytes.begin(), bytes.end()};
}

} // namespace poisonlab::report
