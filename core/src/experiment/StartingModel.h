#pragma once

#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace poisonlab::experiment {

/// The model an experiment starts from, with its tokenizer and where it came from.
struct StartingModel {
    clip::ClipModel model{nullptr};
    std::shared_ptr<clip::Tokenizer> tokenizer;
    nlohmann::json provenance;
};

/// Loads the config's model: its weights (any form clip::loadClip reads), or a new model from
/// its architecture or config, initialised with torch's generator seeded by the config's seed.
/// One place for the run, the similarity-aware attack's embeddings and the workbench's preview,
/// so they all see the same model. Throws poisonlab::Error naming the file.
StartingModel loadStartingModel(const ExperimentConfig &config);

} // namespace poisonlab::experiment
