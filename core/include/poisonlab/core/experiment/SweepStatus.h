#pragma once

#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/experiment/SweepIndex.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// Where one cell of a sweep stands, read from its run directory.
struct SweepCellStatus {
    SweepCell cell;
    /// pending (no run yet, or one that never started training), running, cancelled, failed,
    /// finished: the run manifest's status.
    std::string state;
    std::string error;                           ///< the run's error when failed; a problem reading the run otherwise
    bool hasCheckpoint = false;                  ///< the run can be resumed
    std::optional<eval::EvaluationResult> final; ///< results/final.json "evaluation" when finished
};

/// Every cell of the sweep in `sweepDir`, in the index's order. Throws poisonlab::Error when the
/// folder holds no sweep.json; a cell whose files cannot be read is reported in its `error`.
std::vector<SweepCellStatus> readSweepStatus(const std::filesystem::path &sweepDir);

/// The status of one cell (what readSweepStatus does for each).
SweepCellStatus readSweepCellStatus(const std::filesystem::path &sweepDir, const SweepCell &cell);

} // namespace poisonlab::experiment
