#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/experiment/RunManifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::report {

/// An input the report could not use: missing, unreadable, malformed or inconsistent with the
/// rest of the run. `hint` says how to produce it.
struct ReportProblem {
    std::filesystem::path file;
    std::string message;
    std::string hint;
    std::string text() const; ///< "<file>: <message> (<hint>)"
};

/// One epoch of training as metrics.jsonl recorded it (its "epoch" record), with the evaluation
/// of the model after it when the run measured one (`evaluation.every_epoch`, or the final
/// evaluation at the last epoch). Epoch 0 is the starting model: an evaluation, no training.
/// An absent number is NaN (eval::kAbsent).
struct EpochRecord {
    int epoch = 0;
    std::optional<std::int64_t> step; ///< the last step of the epoch
    double meanLoss = eval::kAbsent;
    double learningRate = eval::kAbsent; ///< at the end of the epoch
    double seconds = eval::kAbsent;
    std::optional<eval::EvaluationResult> evaluation;
};

/// Everything a report reads from one run directory (layout in docs/run-directory.md). Only the
/// run itself is required (run.json, and results/final.json or at least one evaluation record
/// in metrics.jsonl); every other file is optional and, when absent or unreadable, becomes a
/// ReportProblem instead of an error.
struct RunResults {
    std::filesystem::path dir;
    experiment::RunManifest manifest;
    nlohmann::json config; ///< config.json, null when absent
    nlohmann::json final;  ///< results/final.json, null when absent
    nlohmann::json poison; ///< poison/manifest.json (or final.json "poison"), null for a clean run
    /// `poison` typed (without pairs when it came from final.json); none for a clean run, and
    /// none with a ReportProblem when the manifest is malformed.
    std::optional<attack::PoisonManifest> poisonManifest;
    std::vector<nlohmann::json> metrics;
    eval::EvaluationResult evaluation; ///< the last evaluation of the trained model (final.json or metrics.jsonl)
    std::optional<eval::EvaluationResult> initialEvaluation; ///< the starting model's evaluation, none when skipped
    std::string evaluationSource;                            ///< the file `evaluation` came from
    std::map<std::string, nlohmann::json> analysis;          ///< results/analysis/<name>.json by name
    std::map<std::string, nlohmann::json> defense;           ///< results/defense/<name>.json by name
    std::vector<std::string> embeddingModels;                ///< results/embeddings/<model>/ folders
    std::vector<ReportProblem> problems;
    std::vector<std::string> notes;

    /// Throws poisonlab::Error naming the file when `dir` is not a run directory, when run.json
    /// or results/final.json is corrupt (file, line and column, or the malformed key of its
    /// evaluation), or when the run has no results. A malformed evaluation in metrics.jsonl, or
    /// a malformed posttrain.json, is a ReportProblem and left out.
    static RunResults load(const std::filesystem::path &dir);

    /// Per-epoch evaluations: {epoch, evaluation}, the initial model as epoch 0, sorted.
    std::vector<std::pair<int, eval::EvaluationResult>> evaluationsByEpoch() const;
    /// Every epoch of metrics.jsonl with its loss, learning rate and evaluation, sorted; epoch 0
    /// (the starting model) when it was evaluated. Empty without metrics.jsonl.
    std::vector<EpochRecord> epochRecords() const;
    std::string name() const;
    /// "Attack I" ... "Attack III" from the attack plugin id; "clean" without poison.
    std::string attackLabel() const;
    /// The evaluation's dataset and split, e.g. "pascal/test" (from config.json).
    std::string evaluationTarget() const;
    /// Where utility (R@K) was measured: the utility gallery's dataset and split when the run
    /// had one (evaluation.utility), else evaluationTarget().
    std::string utilityTarget() const;
};

/// One learning rate of the post-training defense (results/defense/posttrain.json "runs"):
/// the evaluation after each clean fine-tuning epoch, epoch 0 being the poisoned model.
struct PostTrainingRun {
    double learningRate = eval::kAbsent;
    struct Epoch {
        std::optional<int> epoch; ///< none when the record has no number
        eval::EvaluationResult evaluation;
    };
    std::vector<Epoch> evaluations;
};

/// posttrain.json's runs; none when it has no "runs" list. Throws poisonlab::Error naming the
/// entry when one is malformed.
std::vector<PostTrainingRun> postTrainingRuns(const nlohmann::json &posttrain);

/// The paper's name of an attack plugin ("attack-single-target-image" -> "Attack I").
std::string paperAttackName(const std::string &plugin);

} // namespace poisonlab::report
