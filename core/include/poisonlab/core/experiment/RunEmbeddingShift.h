#pragma once

#include "poisonlab/core/Progress.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace poisonlab::experiment {

/// How far `runDir`'s model moved each test image and caption from `referenceRunDir`'s model
/// (e.g. the poisoned run against its clean counterpart): the evaluation records `model` of both
/// runs (results/embeddings/<model>), 1 - cos per row. Returns the shape of
/// results/analysis/embedding_shift.json, "reference" being "<reference run's name>/<model>" as
/// `poisonlab-cli analyze --reference RUN` writes it. Throws poisonlab::Error naming a missing
/// record's file or the first row that differs between the two records.
nlohmann::json embeddingShiftBetweenRuns(const std::filesystem::path &runDir,
                                         const std::filesystem::path &referenceRunDir,
                                         const std::string &model = "final");

/// embeddingShiftBetweenRuns(), read from runDir's results/analysis/embedding_shift.json when
/// that file was computed against the same reference and model; otherwise computed, and written
/// there (atomically) when there is no such file yet (a file against another reference, e.g.
/// `analyze`'s "initial", is left as it is). Stops with CancelledError when cancelled.
nlohmann::json loadOrComputeEmbeddingShift(const std::filesystem::path &runDir,
                                           const std::filesystem::path &referenceRunDir, const std::string &model,
                                           ProgressReporter &progress);

} // namespace poisonlab::experiment
