#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::report {

struct Colour {
    std::uint8_t r = 0, g = 0, b = 0;
    std::string hex() const; ///< "#rrggbb"
    bool operator==(const Colour &) const = default;
};

/// The i-th colour of a categorical palette (Tableau 10, then Tableau 20's light shades).
Colour categoricalColour(std::size_t index);
/// The viridis colour map at t in [0, 1] (clamped).
Colour viridis(double t);

struct Point {
    double x = 0, y = 0;
};

struct Stroke {
    Colour colour;
    double width = 1;
    bool dashed = false;
};

enum class Anchor { Start, Middle, End };

/// What a chart draws on. Coordinates are figure units (SVG user units, y down); the PNG canvas
/// scales them. Text is placed by the vertical middle of its capitals, so both back ends lay it
/// out the same way, and both measure text with textWidth().
class Canvas {
public:
    virtual ~Canvas();
    /// Groups what follows (an SVG <g class="...">); charts mark each data series with "series".
    virtual void beginGroup(const std::string &cssClass) = 0;
    virtual void endGroup() = 0;
    virtual void polyline(const std::vector<Point> &points, const Stroke &stroke) = 0;
    virtual void polygon(const std::vector<Point> &points, Colour fill, double opacity) = 0;
    virtual void rect(double x, double y, double w, double h, std::optional<Colour> fill,
                      std::optional<Stroke> stroke) = 0;
    virtual void circle(double cx, double cy, double r, Colour fill, std::optional<Stroke> stroke) = 0;
    /// `vertical`: rotated 90 degrees counter-clockwise (a y-axis label), centred on (x, y).
    virtual void text(double x, double y, const std::string &text, double size, Colour colour, Anchor anchor,
                      bool bold = false, bool vertical = false) = 0;

    /// Width of `text` at font size `size` (figure units); the same for every back end.
    static double textWidth(const std::string &text, double size);
};

} // namespace poisonlab::report
