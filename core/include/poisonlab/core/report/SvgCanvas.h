#pragma once

#include "poisonlab/core/report/Canvas.h"

#include <sstream>
#include <string>

namespace poisonlab::report {

/// Writes a standalone SVG 1.1 document by hand: one element per call, text as <text>, numbers
/// rounded to 0.01 units.
class SvgCanvas final : public Canvas {
public:
    SvgCanvas(int width, int height, const std::string &title = {});

    void beginGroup(const std::string &cssClass) override;
    void endGroup() override;
    void polyline(const std::vector<Point> &points, const Stroke &stroke) override;
    void polygon(const std::vector<Point> &points, Colour fill, double opacity) override;
    void rect(double x, double y, double w, double h, std::optional<Colour> fill,
              std::optional<Stroke> stroke) override;
    void circle(double cx, double cy, double r, Colour fill, std::optional<Stroke> stroke) override;
    void text(double x, double y, const std::string &text, double size, Colour colour, Anchor anchor, bool bold = false,
              bool vertical = false) override;

    /// The finished document (closes open groups).
    std::string document() const;

    static std::string escapeXml(const std::string &text);

private:
    std::ostringstream m_body;
    int m_width, m_height;
    std::string m_title;
    int m_depth = 0;
};

} // namespace poisonlab::report
