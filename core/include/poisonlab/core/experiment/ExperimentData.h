#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/RunManifest.h"
#include "poisonlab/core/plugin/AttackPlugin.h"

#include <memory>
#include <optional>
#include <vector>

namespace poisonlab::experiment {

/// The data of one experiment, ready to train and evaluate on.
struct ExperimentData {
    /// The training datasets merged in config order: each one's training split (a clean share
    /// cut to max_images), plus the evaluation split of the evaluation dataset when that is one
    /// of them. Poisoned when the config names an attack.
    std::shared_ptr<data::Dataset> dataset;
    /// The split evaluated in `evalDataset`.
    data::Split evalSplit = data::Split::Test;
    /// Either the merged dataset above (when the evaluation dataset is trained on) or the
    /// evaluation dataset read on its own.
    std::shared_ptr<const data::Dataset> evalDataset;
    /// The utility gallery when the config names one (evaluation.utility), read on its own;
    /// null: utility is measured on the evaluation gallery.
    std::shared_ptr<const data::Dataset> utilityDataset;
    std::string utilityName; ///< its name in the config
    data::Split utilitySplit = data::Split::Test;
    std::optional<attack::PoisonManifest> poison;
    std::vector<DatasetRecord> records; ///< each dataset read, with its checksum
};

/// Reads every dataset, merges the training ones, and runs the attack plugin (creating it
/// through the PluginRegistry). Errors (unreadable data, unknown classes, a bad rate, an empty
/// training set) are thrown before any training could start.
ExperimentData prepareExperimentData(const ExperimentConfig &config, ProgressReporter &progress,
                                     const attack::AttackContext &attackContext = {});

/// Appends `part` (only images `keep` accepts, and their captions) to `into`: classes are
/// matched by name, image paths stay relative to the part's root (ImageRecord::root).
void appendDataset(data::Dataset &into, const data::Dataset &part, const std::vector<char> &keep);

/// A config's split name ("train", "val", "test" or "all") as an Evaluator gallery split:
/// "all" is Split::None, every image.
data::Split gallerySplit(const std::string &name);

/// Caption indices of the training pairs: captions whose own image (the original one, for
/// poisoned pairs) is in `split` ("all": every caption).
std::vector<int> trainingCaptions(const data::Dataset &dataset, const std::string &split);

} // namespace poisonlab::experiment
