#pragma once

#include "poisonlab/core/Progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

struct AnalyzeOptions {
    std::filesystem::path runDir;
    std::string model = "final"; ///< the evaluation record analysed (results/embeddings/<model>)
    /// What the model is compared with (embedding shift, clean-vs-poisoned projections): a model
    /// name of this run ("initial", "epoch-1"), another run directory (its record of the same
    /// model name, e.g. the clean run's "final"), or a record folder. Empty: this run's
    /// "initial" when it was evaluated, else no comparison.
    std::string reference;
    /// At most this many points per model get t-SNE; beyond, a seeded sample. 0: no limit (all
    /// images and captions, Barnes-Hut above analysis::kExactTsneAutoPoints).
    int tsneMax = 0;
    std::string tsneMethod = "auto"; ///< analysis::TsneOptions::method: auto, exact or barnes_hut
    double perplexity = 30;
    int tsneIterations = 1000;
    double bandwidth = 0; ///< KDE bandwidth; <= 0: Silverman's rule
    bool density = true;  ///< embed the training pairs with model/final.safetensors
    bool force = false;   ///< replace existing files in results/analysis
    std::uint64_t seed = 0;
};

struct AnalyzeOutcome {
    std::vector<std::filesystem::path> written; ///< in the order they were written
    std::vector<std::string> skipped;           ///< "<analysis>: why"
    nlohmann::json summary;                     ///< a few headline numbers per analysis
};

/// Runs the analyses of docs/metrics.md ("Analyses") on a finished run's evaluation records and
/// writes results/analysis/{minrank_grid,embedding_shift,projection_pca,projection_tsne,
/// distance_density}.json, each as soon as it is computed (a later failure keeps the earlier
/// files). Errors name what is missing: the run directory, a record's file, a reference whose rows
/// do not match, model/final.safetensors. An analysis whose input does not exist (no reference
/// for the shift, no training split) is skipped and listed in `skipped`. Existing analysis files
/// are refused without `force`.
AnalyzeOutcome analyzeRun(const AnalyzeOptions &options, ProgressReporter &progress);

} // namespace poisonlab::experiment
