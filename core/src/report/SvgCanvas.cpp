#include "poisonlab/core/report/SvgCanvas.h"

#include <cmath>
#include <cstdio>

namespace poisonlab::report {

namespace {

std::string num(double v)
{
    if (!std::isfinite(v))
        v = 0;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s = buf;
    while (s.back() == '0')
        s.pop_back();
    if (s.back() == '.')
        s.pop_back();
    return s == "-0" ? "0" : s;
}

std::string strokeAttrs(const Stroke &s)
{
    std::string a = " stroke=\"" + s.colour.hex() + "\" stroke-width=\"" + num(s.width) + "\"";
    if (s.dashed)
        a += " stroke-dasharray=\"" + num(4 * s.width) + " " + num(3 * s.width) + "\"";
    return a;
}

} // namespace

SvgCanvas::SvgCanvas(int width, int height, const std::string &title) : m_width(width), m_height(height), m_title(title)
{
}

std::string SvgCanvas::escapeXml(const std::string &text)
{
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&apos;";
            break;
        default:
            // Control characters are not allowed in XML 1.0.
            if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n')
                out += c;
        }
    }
    return out;
}

void SvgCanvas::beginGroup(const std::string &cssClass)
{
    m_body << "<g class=\"" << escapeXml(cssClass) << "\">\n";
    ++m_depth;
}

void SvgCanvas::endGroup()
{
    if (m_depth == 0)
        return;
    m_body << "</g>\n";
    --m_depth;
}

void SvgCanvas::polyline(const std::vector<Point> &points, const Stroke &stroke)
{
    if (points.empty())
        return;
    m_body << "<polyline fill=\"none\"" << strokeAttrs(stroke)
           << " stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"";
    for (std::size_t i = 0; i < points.size(); ++i)
        m_body << (i ? " " : "") << num(points[i].x) << "," << num(points[i].y);
    m_body << "\"/>\n";
}

void SvgCanvas::polygon(const std::vector<Point> &points, Colour fill, double opacity)
{
    if (points.size() < 3)
        return;
    m_body << "<polygon fill=\"" << fill.hex() << "\" fill-opacity=\"" << num(opacity)
           << "\" stroke=\"none\" points=\"";
    for (std::size_t i = 0; i < points.size(); ++i)
        m_body << (i ? " " : "") << num(points[i].x) << "," << num(points[i].y);
    m_body << "\"/>\n";
}

void SvgCanvas::rect(double x, double y, double w, double h, std::optional<Colour> fill, std::optional<Stroke> stroke)
{
    m_body << "<rect x=\"" << num(x) << "\" y=\"" << num(y) << "\" width=\"" << num(w) << "\" height=\"" << num(h)
           << "\" fill=\"" << (fill ? fill->hex() : "none") << "\"";
    if (stroke)
        m_body << strokeAttrs(*stroke);
    m_body << "/>\n";
}

void SvgCanvas::circle(double cx, double cy, double r, Colour fill, std::optional<Stroke> stroke)
{
    m_body << "<circle cx=\"" << num(cx) << "\" cy=\"" << num(cy) << "\" r=\"" << num(r) << "\" fill=\"" << fill.hex()
           << "\"";
    if (stroke)
        m_body << strokeAttrs(*stroke);
    m_body << "/>\n";
}

void SvgCanvas::text(double x, double y, const std::string &text, double size, Colour colour, Anchor anchor, bool bold,
                     bool vertical)
{
    const char *anchorName = anchor == Anchor::Start ? "start" : anchor == Anchor::Middle ? "middle" : "end";
    // Placed by the middle of the capitals: the baseline is ~0.36 em below it.
    const double shift = 0.36 * size;
    m_body << "<text";
    if (vertical)
        m_body << " transform=\"translate(" << num(x) << "," << num(y) << ") rotate(-90)\" x=\"0\" y=\"" << num(shift)
               << "\"";
    else
        m_body << " x=\"" << num(x) << "\" y=\"" << num(y + shift) << "\"";
    m_body << " font-size=\"" << num(size) << "\" fill=\"" << colour.hex() << "\" text-anchor=\"" << anchorName << "\"";
    if (bold)
        m_body << " font-weight=\"bold\"";
    m_body << ">" << escapeXml(text) << "</text>\n";
}

std::string SvgCanvas::document() const
{
    std::ostringstream out;
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << m_width << "\" height=\"" << m_height
        << "\" viewBox=\"0 0 " << m_width << " " << m_height
        << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n";
    if (!m_title.empty())
        out << "<title>" << escapeXml(m_title) << "</title>\n";
    out << "<rect x=\"0\" y=\"0\" width=\"" << m_width << "\" height=\"" << m_height << "\" fill=\"#ffffff\"/>\n";
    out << m_body.str();
    for (int i = 0; i < m_depth; ++i)
        out << "</g>\n";
    out << "</svg>\n";
    return out.str();
}

} // namespace poisonlab::report
