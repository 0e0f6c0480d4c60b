#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <string>

namespace poisonlab::distributed {
class DistributedGroup;
}

namespace poisonlab::experiment {

struct RunOptions {
    std::filesystem::path outDir; ///< the run directory to create
    std::string device;           ///< overrides training.device when not empty
    bool force = false;           ///< replace an existing run directory
    bool evaluateInitial = true;  ///< evaluate the starting model before training
    /// Data-parallel: every rank of the group calls run() with the same config; rank 0 alone
    /// writes the run directory (docs/distributed.md). Null: one process.
    std::shared_ptr<distributed::DistributedGroup> group;
    bool allowPrecisionChange = false; ///< resume: see ResumeOptions
};

/// How resume() continues a run.
struct ResumeOptions {
    /// Data-parallel: every rank of the group resumes; the run must have been trained with as
    /// many processes (its checkpoint records the number), and every rank reads the checkpoint.
    std::shared_ptr<distributed::DistributedGroup> group;
    std::string precision; ///< continue in this training.precision; empty keeps the run's
    /// Needed to continue in a precision other than the checkpoint's: the numbers differ from
    /// there on, so it is never done silently. The run's config.json then records the new one.
    bool allowPrecisionChange = false;
};

/// What a finished run produced.
struct RunOutcome {
    std::filesystem::path runDir;
    nlohmann::json final;              ///< results/final.json
    nlohmann::json initial;            ///< the starting model's evaluation (null when skipped)
    eval::EvaluationResult evaluation; ///< the fine-tuned model's evaluation (final.json "evaluation")
};

/// Ties an experiment together: model -> datasets -> attack -> run directory -> training (with
/// per-epoch evaluation) -> final evaluation and results. Everything that can be wrong with the
/// config, the data or the model is reported before the run directory is touched. Progress and
/// cancellation come through the ProgressReporter (the CLI's Ctrl-C handler, or a GUI worker);
/// a cancelled run leaves its checkpoint and status "cancelled", and resume() continues it.
class ExperimentRunner {
public:
    static RunOutcome run(const ExperimentConfig &config, const RunOptions &options, ProgressReporter &progress);
    /// Continues the run in `runDir` from its last checkpoint, with the config saved there.
    /// Throws poisonlab::Error when the folder is not a run directory, the run already finished,
    /// or a dataset changed since it started (checksums differ).
    static RunOutcome resume(const std::filesystem::path &runDir, ProgressReporter &progress,
                             const ResumeOptions &resumeOptions = {});
};

} // namespace poisonlab::experiment
