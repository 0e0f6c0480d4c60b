#pragma once

#include "poisonlab/core/analysis/MinRankGrid.h"

#include <QString>

#include <map>
#include <memory>
#include <utility>
#include <vector>

namespace poisonlab::ui {

struct SweepData;

/// A class-pair sweep (attack.options.source and/or target swept) as the class-pair grid shows it:
/// row A, column B holds the MinRank and Hit@K of the cell that attacked A → B, measured on its
/// poisoned model (the goal A → B of its final evaluation). Pairs the sweep did not attack and
/// cells not finished yet stay empty, never zero. Several finished cells of one pair (a pair swept
/// with seeds, say) show their mean.
struct SweepClassPairs {
    std::shared_ptr<const analysis::MinRankGrid> grid;     ///< null when the sweep is no class-pair sweep
    std::map<std::pair<int, int>, std::vector<int>> cells; ///< (row, column) -> the sweep's cells of that pair

    /// Whether some axis sweeps the attack's source or target class.
    static bool isClassPairSweep(const SweepData &sweep);
    /// The grid of `sweep` with Hit@`k`; an empty result (grid null) for other sweeps.
    static SweepClassPairs build(const SweepData &sweep, int k = 10);

    /// The sweep cells of a grid cell (empty when the sweep did not attack that pair).
    std::vector<int> cellsAt(int row, int column) const;
    /// What a grid cell is, for the hover line: "sheep → aeroplane: cell pair-3, running".
    QString describe(const SweepData &sweep, int row, int column) const;
};

} // namespace poisonlab::ui
