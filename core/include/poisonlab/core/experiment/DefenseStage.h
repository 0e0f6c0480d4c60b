#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/RunEvaluator.h"
#include "poisonlab/core/plugin/DefensePlugin.h"
#include "poisonlab/core/train/TrainOptions.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

namespace poisonlab::experiment {

/// Where a post-training defense gets its poisoned model, evaluation and training defaults.
struct PostTrainingInputs {
    const ExperimentConfig &config;
    std::filesystem::path poisonedModel; ///< model/final.safetensors
    RunGalleries galleries;              ///< what the run evaluates on, the curves are measured on the same
    std::vector<eval::GoalSpec> goals;
    eval::EvalOptions evalOptions;
    train::TrainOptions training;      ///< the run's options; the defense overrides some
    std::filesystem::path outDir;      ///< where posttrain.json goes (results/defense/)
    const RunDirectory *run = nullptr; ///< for log lines; may be null
};

/// The defenses of an experiment (config "defenses"): at most one pre-training defense (a
/// filter, run after poisoning and before training) and at most one post-training defense (run
/// after the final evaluation). The constructor creates the plugins and checks their options,
/// so bad input stops the run before any work. See docs/defenses.md.
class DefenseStage {
public:
    explicit DefenseStage(const ExperimentConfig &config);

    bool hasPreTraining() const { return static_cast<bool>(m_pre); }
    bool hasPostTraining() const { return static_cast<bool>(m_post); }

    /// Runs the pre-training defense on the training pairs (caption ids) and returns those it
    /// keeps (all of them without one). `initial` scores when the filter's "model" is "initial".
    /// Throws poisonlab::Error when nothing is kept.
    std::vector<int> filter(const data::Dataset &dataset, std::vector<int> captions, const clip::ClipModel &initial,
                            const std::shared_ptr<clip::Tokenizer> &tokenizer, ProgressReporter &progress);
    /// Writes what filter() found to results/defense/ (prefilter.json, prefilter_scores.npy,
    /// prefilter_index.json) and logs it; nothing without a pre-training defense.
    void writeFilterResults(const RunDirectory &run) const;

    /// Runs the post-training defense and writes posttrain.json into inputs.outDir; returns it
    /// (null without a post-training defense).
    nlohmann::json postTrain(const PostTrainingInputs &inputs, ProgressReporter &progress) const;

private:
    struct Entry {
        std::shared_ptr<defense::DefensePlugin> plugin;
        nlohmann::json options;
    };
    std::optional<Entry> m_pre;
    std::optional<Entry> m_post;
    // What filter() found, kept for writeFilterResults().
    std::optional<defense::FilterResult> m_filtered;
    nlohmann::json m_index;
};

/// `poisonlab-cli defend`: runs the post-training defenses of `defenses` (a JSON object: either
/// {"defenses": [{"plugin", "options"}, ...]} or one {"plugin", "options"}) on the finished,
/// poisoned run in `runDir`. posttrain.json goes to `outDir` (empty: the run's
/// results/defense/). Throws poisonlab::Error before any work for a folder that is not a run,
/// a run without poison/manifest.json or model/final.safetensors, data that changed since the
/// run, or bad defense options.
nlohmann::json defendRun(const std::filesystem::path &runDir, const nlohmann::json &defenses,
                         const std::filesystem::path &defensesFile, const std::filesystem::path &outDir,
                         const std::string &device, ProgressReporter &progress);

} // namespace poisonlab::experiment
