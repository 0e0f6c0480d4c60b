#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/eval/Evaluator.h"

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::eval {

/// One evaluated model's record in a run directory, results/embeddings/<model>/ (layout and
/// field meanings: docs/run-directory.md): images.npy and captions.npy (the L2-normalised
/// float32 embeddings the metrics came from), index.json (what each row is, and each goal's
/// query, target and baseline rows) and metrics.json (the Evaluator's output).
struct EvaluationRecord {
    std::filesystem::path dir;
    std::string model; ///< "initial", "final", "epoch-<N>", ...
    nlohmann::json index;
    nlohmann::json metrics;
    torch::Tensor images;             ///< float32 [n_images, D]
    torch::Tensor captions;           ///< float32 [n_captions, D]
    std::vector<std::string> classes; ///< the dataset's class names
    std::vector<int> imageClass;      ///< per image row: class index, -1 none
    std::vector<int> captionClass;    ///< per caption row: class index (of its original image), -1 none
    std::vector<int> captionImageRow; ///< per caption row: the row of its image
    std::vector<char> captionPoisoned;
    Ties ties = Ties::Optimistic; ///< the rank rule of its metrics (index.json eval_options.ties)

    /// Reads a record folder. A missing file is an Error naming it; row counts that disagree
    /// between the .npy files and index.json, or an image_row outside the images, are Errors
    /// naming both files. metrics.json may be absent (then `metrics` is null).
    static EvaluationRecord load(const std::filesystem::path &dir);
};

/// Writes the record of `model` as evaluated by `evaluator` into `dir` (created; existing files
/// replaced, each atomically; metrics.json last). `metrics` is what evaluator.evaluate(model,
/// goals) returned; "type"/"model"/"epoch" keys in its `extra`, if any, are dropped. Uses the evaluator's
/// cached embeddings: no forward pass when the model has not changed since evaluate().
void writeEvaluationRecord(const std::filesystem::path &dir, const std::string &modelName, Evaluator &evaluator,
                           clip::ClipModel &model, const std::vector<GoalSpec> &goals, const EvaluationResult &metrics,
                           ProgressReporter &progress);

/// results/embeddings/<modelName> of a run directory.
std::filesystem::path evaluationRecordDir(const std::filesystem::path &runDir, const std::string &modelName);

} // namespace poisonlab::eval
