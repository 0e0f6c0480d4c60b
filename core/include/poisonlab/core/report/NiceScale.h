#pragma once

#include <string>
#include <vector>

namespace poisonlab::report {

/// Axis ticks: `values` run from `min` to `max` in steps of `step` (1, 2, 2.5 or 5 times a power
/// of ten); `decimals` is how many digits after the point their labels need.
struct Ticks {
    double min = 0;
    double max = 1;
    double step = 0.2;
    int decimals = 1;
    std::vector<double> values;
};

/// "Nice" ticks covering [lo, hi] with about `target` intervals; the range is widened to whole
/// steps. An empty or non-finite range gets a sensible one around its value (or [0, 1]).
Ticks niceTicks(double lo, double hi, int target = 5);

/// A tick label: `decimals` digits, no "-0".
std::string formatTick(double value, int decimals);

/// Linear map from data [d0, d1] to pixels [p0, p1] (p1 < p0 for a y axis that grows upwards).
class AxisMap {
public:
    AxisMap(double d0, double d1, double p0, double p1);
    double operator()(double value) const;
    double inverse(double pixel) const;

private:
    double m_d0, m_d1, m_p0, m_p1;
};

} // namespace poisonlab::report
