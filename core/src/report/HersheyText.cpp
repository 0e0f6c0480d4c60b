#include "HersheyText.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace poisonlab::report {

double hersheyScale(double fontSize)
{
    return fontSize / 36.0;
}

int hersheyThickness(double fontSize, bool bold)
{
    return std::max(1, static_cast<int>(std::lround(fontSize / 24.0))) + (bold ? 1 : 0);
}

std::string hersheyAscii(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
        } else if ((c & 0xC0) != 0x80) {
            out += '?'; // one '?' per UTF-8 sequence (lead byte), continuation bytes dropped
        }
    }
    return out;
}

double hersheyTextWidth(const std::string &text, double fontSize)
{
    // Measured at a large size for precision, then scaled (the font is a vector font).
    constexpr double kRef = 100;
    int baseline = 0;
    const cv::Size s = cv::getTextSize(hersheyAscii(text), cv::FONT_HERSHEY_SIMPLEX, hersheyScale(kRef),
                                       hersheyThickness(kRef, false), &baseline);
    return s.width * fontSize / kRef;
}

} // namespace poisonlab::report
