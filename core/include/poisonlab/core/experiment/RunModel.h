#pragma once

#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <filesystem>
#include <memory>
#include <string>

namespace poisonlab::experiment {

/// One model of a run, as the run directory stores it, on the CPU in eval mode.
struct RunModel {
    clip::ClipModel model{nullptr};
    std::shared_ptr<clip::Tokenizer> tokenizer;
    std::filesystem::path source; ///< the file it was read from (empty: built from the config)
};

/// True for the names a run's models go by: "final", "initial", "epoch-<N>" (N >= 1).
bool isRunModelName(const std::string &name);

/// Loads model `name` of a run: "final" = model/final.safetensors; "initial" = the config's
/// starting model (its weights, or the seeded initialisation); "epoch-<N>" = the trainer's
/// checkpoint written at the end of epoch N (checkpoints/step-*.ckpt; only the last few are kept),
/// or the final model when N is the last epoch. Throws poisonlab::Error naming the missing file
/// or the checkpoint folder that holds no checkpoint of that epoch.
RunModel loadRunModel(const RunDirectory &run, const ExperimentConfig &config, const std::string &name);

} // namespace poisonlab::experiment
