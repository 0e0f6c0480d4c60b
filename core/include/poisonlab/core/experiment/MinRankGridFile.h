#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/analysis/MinRankGrid.h"

#include <filesystem>
#include <string>

namespace poisonlab::experiment {

/// results/analysis/minrank_grid.json of a run directory (written by `poisonlab-cli analyze`).
std::filesystem::path minRankGridPath(const std::filesystem::path &runDir);

/// Reads a minrank_grid.json: "classes", "minrank_mean" and "hit@<K>" (K from "hit_k", else the
/// one "hit@…" key); "queries"/"targets" are optional (empty when absent). A missing file, a
/// matrix that is not classes x classes or a cell that is neither a number nor null is an Error
/// naming the file.
analysis::MinRankGrid readMinRankGrid(const std::filesystem::path &file);

/// Computes the grid of one class pair per cell from the run's evaluation record `model`
/// (results/embeddings/<model>, as `analyze` does) and writes minrank_grid.json atomically: a
/// cancelled or failed computation leaves the old file (or none). Only this one analysis; the
/// others of `analyze` are left as they are. Throws Error naming a missing record file.
analysis::MinRankGrid computeMinRankGridFile(const std::filesystem::path &runDir, const std::string &model,
                                             ProgressReporter &progress);

} // namespace poisonlab::experiment
