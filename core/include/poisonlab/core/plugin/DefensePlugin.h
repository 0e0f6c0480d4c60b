#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/plugin/EmbeddingCallbacks.h"
#include "poisonlab/core/plugin/Plugin.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

namespace poisonlab::defense {

/// When a defense acts; plugin.json says it ("stage": "pre-training" | "post-training"), so it
/// is known before the library is loaded.
enum class DefenseStageKind { PreTraining, PostTraining };

/// The stage named by a defense plugin's plugin.json; throws poisonlab::Error naming the plugin
/// when "stage" is missing or unknown.
DefenseStageKind defenseStageOf(const plugin::PluginMetadata &metadata);

/// What the experiment offers a defense, for checking its options before any work.
struct DefenseEnvironment {
    std::vector<std::string> datasets; ///< dataset names the experiment defines
    bool poisoned = false;             ///< the run has an attack (a poisoned model / poisoned pairs)
};

/// A model that scores pairs: embedding callbacks (plugin/EmbeddingCallbacks.h) and its name.
struct ScoringContext {
    ProgressReporter *progress = nullptr; ///< may be null
    std::string model;                    ///< "initial" or the weights' path, for the report
    plugin::EmbedTextsFn embedTexts;
    plugin::EmbedImagesFn embedImages;
};

/// A pre-training defense's verdict on the training pairs it was given.
struct FilterResult {
    std::vector<int> kept;     ///< caption ids kept, in the input order
    std::vector<float> scores; ///< one per input caption, in the input order
    std::vector<char> removed; ///< one per input caption
    nlohmann::json report;     ///< results/defense/prefilter.json
};

/// One clean fine-tuning run a post-training defense asks for: from the poisoned model, on the
/// named dataset's split, with the run's training options overridden by `training` (TrainOptions
/// keys), `epochs` and `learningRate`.
struct FineTuneRequest {
    std::string dataset;
    std::string split = "train";
    int epochs = 1;
    double learningRate = 1e-5;
    nlohmann::json training = nlohmann::json::object();
};

/// What a post-training defense may do; core implements the callbacks (model loading, data,
/// trainer, evaluator), the plugin decides what to run and how to report it.
struct PostTrainingContext {
    ProgressReporter *progress = nullptr;
    /// The poisoned model's evaluation (utility and each goal's attack and baseline figures).
    std::function<eval::EvaluationResult()> evaluatePoisoned;
    /// Fine-tunes a fresh copy of the poisoned model; `afterEpoch(epoch, evaluation)` is called
    /// with the evaluation after each epoch (1-based).
    std::function<void(const FineTuneRequest &,
                       const std::function<void(int, const eval::EvaluationResult &)> &afterEpoch)>
        fineTune;
};

/// Interface of plugins of kind "defense". Options are checked by validate() before any work
/// (bad values throw poisonlab::Error naming the plugin and the option); then the stage's hook
/// runs: filter() before training, postTrain() after the final evaluation. The hook of the other
/// stage throws.
class DefensePlugin : public plugin::Plugin {
public:
    ~DefensePlugin() override;
    DefenseStageKind stage() const { return defenseStageOf(metadata()); }

    virtual void validate(const nlohmann::json &options, const DefenseEnvironment &environment) const = 0;

    /// Scores the training pairs `captions` (caption ids of `dataset`, whose CaptionRecord::poisoned
    /// says which pairs the attack changed; a real defender would not know) and decides which stay.
    virtual FilterResult filter(const data::Dataset &dataset, const std::vector<int> &captions,
                                const nlohmann::json &options, const ScoringContext &context) const;
    /// Runs the defense on the poisoned model; returns results/defense/posttrain.json.
    virtual nlohmann::json postTrain(const nlohmann::json &options, const PostTrainingContext &context) const;
};

} // namespace poisonlab::defense
