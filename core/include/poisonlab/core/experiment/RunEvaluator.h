#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/train/TrainingPairs.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace poisonlab::data {
class ImageCache;
}

namespace poisonlab::experiment {

/// The galleries one experiment evaluates on: attack metrics (Hit@K, MinRank) on the evaluation
/// gallery and utility (R@K) either there too or, when the config names one
/// (evaluation.utility), on a clean gallery of its own, as the paper's code reports retrieval on
/// Flickr30k test while it attacks on PASCAL test.
struct RunGalleries {
    std::shared_ptr<const data::Dataset> evalDataset;
    data::Split evalSplit = data::Split::Test;
    std::shared_ptr<const data::Dataset> utilityDataset; ///< null: utility on the evaluation gallery
    std::string utilityName;
    data::Split utilitySplit = data::Split::Test;
};

/// The galleries of prepared experiment data.
RunGalleries galleriesOf(const ExperimentData &data);

class RunEvaluator {
public:
    RunEvaluator(const RunGalleries &galleries, int resolution, train::TokenizeFn tokenize,
                 const eval::EvalOptions &options, std::shared_ptr<data::ImageCache> diskCache = nullptr);

    /// Evaluator::evaluate on the evaluation gallery; with a utility gallery its utility comes
    /// from there, described by utilityGallery (dataset, split, images, captions).
    eval::EvaluationResult evaluate(clip::ClipModel &model, const std::vector<eval::GoalSpec> &goals,
                                    ProgressReporter &progress);
    /// Shares the embedding work among the ranks of a data-parallel run (Evaluator::setProcessGroup).
    void setProcessGroup(const std::shared_ptr<distributed::DistributedGroup> &group);
    /// The evaluation gallery's evaluator (for evaluation records and analysis).
    eval::Evaluator &gallery() { return *m_gallery; }
    /// The last evaluate() as measured on the evaluation gallery alone, its own R@K included:
    /// what an evaluation record (embeddings of that gallery) must hold to be recomputable.
    const eval::EvaluationResult &galleryResult() const { return m_galleryResult; }

private:
    std::unique_ptr<eval::Evaluator> m_gallery;
    std::unique_ptr<eval::Evaluator> m_utility;
    std::string m_utilityName;
    eval::EvaluationResult m_galleryResult;
};

} // namespace poisonlab::experiment
