#pragma once

#include "poisonlab/core/report/Chart.h"

#include <vector>

namespace poisonlab::report {

/// A matrix of cells coloured with viridis, row and column labels and a colour bar, e.g. the
/// MinRank of every (source A, target B) class pair. Non-finite cells are grey.
class HeatmapChart final : public Chart {
public:
    std::vector<std::string> rowLabels, columnLabels;
    std::vector<std::vector<double>> values; ///< [row][column]
    std::string colourLabel;
    bool reversed = false; ///< low values bright (e.g. MinRank, where low means the attack worked)
    int valueDecimals = 1; ///< cell annotations (shown when cells are large enough)

    void draw(Canvas &canvas) const override;
};

} // namespace poisonlab::report
