#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/attack/AttackGoal.h"
#include "poisonlab/core/attack/AttackResult.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::attack {

/// What the poison rate counts: single captions (the paper's COCO code) or whole images with
/// all their captions (the paper's PASCAL code groups the five captions of an image into one row).
enum class PoisonUnit { Caption, Image };

/// Options shared by the attacks that swap the images of class-A pairs.
struct LabelSwapOptions {
    std::vector<AttackGoal> goals;
    double rate = 0;
    std::uint64_t seed = 42; ///< the paper's random_state
    PoisonUnit unit = PoisonUnit::Caption;
    std::string split = "train";                     ///< which pairs form the training set D; "all" for every split
    nlohmann::json extra = nlohmann::json::object(); ///< the plugin's own keys, unparsed
};

/// Captions poisoned together: one caption, or all captions of one image.
struct PoisonUnitGroup {
    int image = -1;
    std::vector<int> captions;
};

/// Picks the new image of each chosen unit of goal `goalIndex`, from `targetImages` (class-B
/// images of the training split). Returns one image index per unit.
using ChooseTargets = std::function<std::vector<int>(const data::Dataset &dataset, const AttackGoal &goal,
                                                     int goalIndex, const std::vector<PoisonUnitGroup> &units,
                                                     const std::vector<int> &targetImages, Rng &rng)>;

/// Parses the common keys ("goals" or "source"/"target", "rate", "seed", "unit", "split");
/// `extraKeys` are the plugin's own keys (kept in LabelSwapOptions::extra). Any other key, a
/// wrong type, or a rate outside (0, 1] throws poisonlab::Error naming `attackId` and the key.
/// With `multiGoal` false exactly one goal is allowed.
LabelSwapOptions parseLabelSwapOptions(const nlohmann::json &options, const std::string &attackId, bool multiGoal,
                                       const std::vector<std::string> &extraKeys = {});

/// The common image-swapping engine: checks every goal against the dataset (unknown class, a
/// class with no images or captions in the split, a rate that poisons nothing, an empty
/// training set) before changing anything, samples the class-A units of each goal with its own
/// seeded stream, lets `choose` give each one its new image, and returns the poisoned copy with
/// its manifest.
AttackResult runLabelSwap(const data::Dataset &dataset, const LabelSwapOptions &options, const std::string &attackId,
                          const ChooseTargets &choose, ProgressReporter *progress = nullptr);

/// The images of `classIndex` (ImageRecord::label) in `split` ("all": every split).
std::vector<int> imagesOfClass(const data::Dataset &dataset, int classIndex, const std::string &split);

/// Resolves an image given by index (number), relative path or source id. Throws when unknown.
int findImage(const data::Dataset &dataset, const nlohmann::json &ref, const std::string &attackId);

} // namespace poisonlab::attack
