#include "poisonlab/core/report/NiceScale.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace poisonlab::report {

Ticks niceTicks(double lo, double hi, int target)
{
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        lo = 0;
        hi = 1;
    }
    if (lo > hi)
        std::swap(lo, hi);
    if (hi - lo < 1e-12 * std::max(1.0, std::abs(lo))) {
        const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.5;
        lo -= pad;
        hi += pad;
    }
    target = std::max(1, target);
    const double rough = (hi - lo) / target;
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    const double residual = rough / magnitude;
    double factor = 10;
    for (double f : {1.0, 2.0, 2.5, 5.0})
        if (residual <= f * (1 + 1e-9)) {
            factor = f;
            break;
        }
    Ticks t;
    t.step = factor * magnitude;
    // The epsilon keeps 0.3 / 0.1 = 2.9999... from losing a whole step.
    const double first = std::floor(lo / t.step + 1e-9);
    const double last = std::ceil(hi / t.step - 1e-9);
    t.min = first * t.step;
    t.max = last * t.step;
    const int count = static_cast<int>(std::llround(last - first)) + 1;
    for (int i = 0; i < count; ++i) {
        double v = (first + i) * t.step;
        if (std::abs(v) < t.step * 1e-9)
            v = 0;
        t.values.push_back(v);
    }
    const int digits = static_cast<int>(-std::floor(std::log10(t.step) + 1e-9));
    t.decimals = std::max(0, digits + (factor == 2.5 ? 1 : 0));
    return t;
}

std::string formatTick(double value, int decimals)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", std::clamp(decimals, 0, 12), value);
    std::string s = buf;
    if (s.find_first_not_of("-0.") == std::string::npos && s[0] == '-')
        s.erase(0, 1); // "-0.0" -> "0.0"
    return s;
}

AxisMap::AxisMap(double d0, double d1, double p0, double p1) : m_d0(d0), m_d1(d1), m_p0(p0), m_p1(p1)
{
    if (m_d1 == m_d0)
        m_d1 = m_d0 + 1;
}

double AxisMap::operator()(double value) const
{
    return m_p0 + (value - m_d0) / (m_d1 - m_d0) * (m_p1 - m_p0);
}

double AxisMap::inverse(double pixel) const
{
    return m_d0 + (pixel - m_p0) / (m_p1 - m_p0) * (m_d1 - m_d0);
}

} // namespace poisonlab::report
