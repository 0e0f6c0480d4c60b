#pragma once

#include "poisonlab/core/report/Chart.h"

#include <optional>
#include <utility>
#include <vector>

namespace poisonlab::report {

/// Grouped bars: one slot per category (Hit@1, Hit@5, ...), one bar per group in each slot
/// (ours, baseline), the value written above each bar.
class BarChart final : public Chart {
public:
    struct Group {
        std::string name;
        std::vector<double> values; ///< one per category; non-finite: no bar
        std::optional<Colour> colour;
    };

    std::vector<std::string> categories;
    std::vector<Group> groups;
    std::optional<std::pair<double, double>> yRange; ///< default: 0 to the largest value
    int valueDecimals = 3;

    void draw(Canvas &canvas) const override;
};

} // namespace poisonlab::report
