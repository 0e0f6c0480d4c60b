#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <memory>
#include <string>
#include <vector>

namespace poisonlab::ui {

/// One class of the training set, as the attack designer's class pickers show it.
struct ClassCount {
    std::string name;
    long long captions = 0;           ///< training captions whose own image is of this class
    long long images = 0;             ///< labelled images of the class in the split
    long long imagesWithCaptions = 0; ///< of those, the ones holding a caption (unit "image")
};

/// What the attack designer needs to know about the experiment's training set: each class's
/// caption and image counts in the split the attack poisons, and |D|. Counted here (no Qt), the
/// way core's label-swap attacks count their class-A units, so the form's estimate and checks
/// agree with what the attack will do.
struct TrainingSetSummary {
    std::string split;               ///< the split counted ("all" when the data carries no splits)
    long long trainingPairs = 0;     ///< |D|: captions whose own image is in the split
    std::vector<ClassCount> classes; ///< every class of the dataset, in its order
    /// The training set itself (for the target-image picker and its checks); may be null.
    std::shared_ptr<const data::Dataset> dataset;

    const ClassCount *find(const std::string &name) const; ///< null when not a class
    /// Class-A units a rate applies to: captions (unit "caption") or images holding captions.
    long long units(const std::string &className, const std::string &unit) const;
    /// Poisoned pairs `rate` gives for class `source` (the attack's round(rate × units); for unit
    /// "image" the chosen images' captions, estimated from the class's mean captions per image).
    long long estimatePoisonedPairs(const std::string &source, double rate, const std::string &unit) const;

    /// Counts `dataset` over `split` ("train", "val", "test" or "all"); a dataset without any
    /// split is counted whole, as the attacks do.
    static TrainingSetSummary compute(const data::Dataset &dataset, const std::string &split);
};

} // namespace poisonlab::ui
