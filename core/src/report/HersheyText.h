#pragma once

#include <string>

namespace poisonlab::report {

// OpenCV's Hershey simplex font sized so that its letters are about as wide as a sans-serif
// font of the same size: the PNG back end draws with it and both back ends measure with it.
double hersheyScale(double fontSize);
int hersheyThickness(double fontSize, bool bold);
/// Hershey has ASCII only: anything else becomes '?'.
std::string hersheyAscii(const std::string &text);
double hersheyTextWidth(const std::string &text, double fontSize);

} // namespace poisonlab::report
