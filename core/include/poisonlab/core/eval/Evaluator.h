#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"
#include "poisonlab/core/train/ImageSource.h"
#include "poisonlab/core/train/TrainingPairs.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::distributed {
class DistributedGroup;
}

namespace poisonlab::eval {

struct EvalOptions {
    int batchSize = 256; ///< images / captions per forward pass
    std::string device = "cpu";
    std::uint64_t baselineSeed = 0; ///< seed of the random-caption baseline
    std::vector<int> hitKs = {1, 5, 10, 20, 50};
    /// Baseline captions are drawn from the split's captions whose image is not of the goal's
    /// source class (so the baseline is not itself a poisoned query); false: from all captions.
    bool baselineExcludesSourceClass = true;
    int threads = 1; ///< threads for the rank counting
    /// How every rank treats equal scores ("ties": "optimistic" | "pessimistic"; docs/metrics.md).
    Ties ties = Ties::Optimistic;
    /// Arithmetic of the forward passes that embed the gallery and the queries: "fp32", or
    /// "bf16"/"fp16" under autocast (as training.precision; the embeddings are float32 either way).
    /// A precision the device cannot run makes the Evaluator's constructor throw, naming what it runs.
    std::string precision = "fp32";
    nlohmann::json toJson() const;
    /// Unknown keys and values (a "ties" other than the two modes) throw poisonlab::Error naming them.
    static EvalOptions fromJson(const nlohmann::json &json);
};

/// An attack goal in dataset terms; the Evaluator maps it onto the gallery.
struct GoalSpec {
    std::string name;                           ///< defaults to "A->B"
    std::string sourceClass;                    ///< class A: its captions are the queries
    std::vector<std::string> targetClasses;     ///< Attack II/III: any gallery image of these classes
    int targetImage = -1;                       ///< Attack I: this dataset image (must be in the gallery)
    data::Split querySplit = data::Split::None; ///< captions to query with; None = the gallery's split
};

/// L2-normalised float32 CPU embeddings of one split, rows in gallery/caption order.
struct SplitEmbeddings {
    torch::Tensor images;           ///< [images, D]
    torch::Tensor captions;         ///< [captions, D]
    std::vector<int> imageIds;      ///< dataset image index of each row of `images`
    std::vector<int> captionIds;    ///< dataset caption index of each row of `captions`
    std::vector<int> captionColumn; ///< row of `images` holding each caption's image
};

/// A goal mapped onto the evaluated split: exactly the rows and columns its metrics come from
/// (what the evaluation record stores so that another program recomputes them).
struct ResolvedGoal {
    std::string name;
    int sourceClass = -1;                       ///< dataset class index of A
    std::vector<int> targetColumns;             ///< gallery rows (of SplitEmbeddings::images) of the targets
    int targetImageColumn = -1;                 ///< Attack I: the gallery row of the target image, else -1
    data::Split querySplit = data::Split::None; ///< the split the queries come from (never None)
    /// Caption rows of class A: rows of SplitEmbeddings::captions when querySplit is the evaluated
    /// split; otherwise positions among that split's captions (in dataset order).
    std::vector<int> queryRows;
    std::vector<int> baselineCandidates; ///< caption rows (of the evaluated split) the baseline draws from
    std::vector<int> baselineRows;       ///< the drawn rows, in draw order
};

/// Embeds a split's images and captions with a model (batched, model.eval(), NoGradGuard) and
/// computes utility and attack metrics on the captions x images similarity matrix. Embeddings
/// are cached and reused while the model's parameters are unchanged (same tensors, same version
/// counters), so evaluating several goals or calling again after no training costs no forward
/// pass. Not thread-safe.
class Evaluator {
public:
    /// The gallery is every image of `split` that has at least one caption; queries are that
    /// split's captions (captions paired with images of the split, poisoned or not).
    /// Split::None (a config's "all") takes every image.
    Evaluator(std::shared_ptr<const data::Dataset> dataset, data::Split split,
              std::shared_ptr<train::ImageSource> images, train::TokenizeFn tokenize, EvalOptions options = {});
    ~Evaluator();

    const SplitEmbeddings &embed(clip::ClipModel &model, ProgressReporter &progress);
    /// captions x images, float32 CPU, from embed().
    torch::Tensor similarity(clip::ClipModel &model, ProgressReporter &progress);

    RetrievalMetrics utility(clip::ClipModel &model, ProgressReporter &progress);
    /// Throws poisonlab::Error when the source or a target class is unknown or absent from the
    /// split, the target image is not in the gallery, or the baseline needs more captions than
    /// there are.
    AttackResult attack(clip::ClipModel &model, const GoalSpec &goal, ProgressReporter &progress);
    /// The goal's query rows, target columns and baseline rows (the same errors as attack()).
    ResolvedGoal resolve(clip::ClipModel &model, const GoalSpec &goal, ProgressReporter &progress);
    /// Utility on the gallery and each goal's attack and baseline figures (as JSON:
    /// {"split", "gallery_images", "captions", "utility", "attacks"}, see EvaluationResult).
    EvaluationResult evaluate(clip::ClipModel &model, const std::vector<GoalSpec> &goals, ProgressReporter &progress);

    /// Forgets cached embeddings (e.g. after loading weights in place without a version bump).
    void clearCache();
    /// Shares the embedding work among the ranks of a data-parallel run: each rank embeds its part
    /// of the gallery and the queries and the parts are gathered, so every rank ends with the
    /// whole embeddings (and the same figures). All ranks must then evaluate together.
    void setProcessGroup(std::shared_ptr<distributed::DistributedGroup> group);
    const EvalOptions &options() const;
    const data::Dataset &dataset() const;
    data::Split split() const;
    /// Class of a dataset caption: the label of its original image (so a poisoned caption keeps
    /// its class A); -1 when the image has none.
    int captionClass(int datasetCaption) const;

private:
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace poisonlab::eval
