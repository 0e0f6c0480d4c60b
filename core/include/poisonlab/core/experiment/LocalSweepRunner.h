#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/experiment/SweepIndex.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// What the local runner did with one cell.
struct SweepCellOutcome {
    std::string cell;
    std::string action; ///< skipped (already finished), started, resumed
    std::string state;  ///< finished, failed, cancelled (the run's status afterwards)
    std::string error;  ///< the failure's message
};

/// Runs the cells of a sweep folder one after another in this process: a finished cell is
/// skipped, a cell with a run directory (cancelled, failed, killed) is resumed from its
/// checkpoint, a pending one is started from its config.json. A cell that fails is recorded and
/// the next one runs. Progress: a "sweep" event (done/total cells, the cell's name as message)
/// before each cell, then the run's own events. Cancellation stops the current run (it stays
/// resumable) and throws CancelledError; the cells after it stay pending.
class LocalSweepRunner {
public:
    using CellCallback = std::function<void(const SweepCellOutcome &)>;

    /// Throws poisonlab::Error when `sweepDir` is not a sweep folder.
    static std::vector<SweepCellOutcome> run(const std::filesystem::path &sweepDir, ProgressReporter &progress,
                                             const CellCallback &onCellDone = {});
};

} // namespace poisonlab::experiment
