#include "poisonlab/core/experiment/AttackModel.h"

#include "ModelEmbedding.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

#include <torch/torch.h>

#include <optional>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

bool attackNeedsModel(const ExperimentConfig &config)
{
    if (!config.attack)
        return false;
    std::string error;
    auto attack = plugin::PluginRegistry::instance().create<attack::AttackPlugin>(config.attack->plugin, &error);
    if (!attack)
        throw Error("cannot load attack plugin \"" + config.attack->plugin + "\": " + error);
    return attack->needsEmbeddings();
}

attack::AttackContext attackContextFor(const ExperimentConfig &config, ProgressReporter &progress)
{
    attack::AttackContext ctx;
    ctx.progress = &progress;
    if (!attackNeedsModel(config))
        return ctx;
    progress.report({"prepare", 0, 0, "loading the model the attack embeds with", {}});
    clip::ClipModel model{nullptr};
    std::shared_ptr<clip::Tokenizer> tokenizer;
    // The same model a run starts from (ExperimentRunner's loadModel), so a preview picks the
    // same images as the run.
    if (!config.model.weights.empty()) {
        clip::LoadedClip loaded =
            clip::loadClip(config.model.weights,
                           config.model.vocab.empty() ? std::nullopt : std::optional<fs::path>(config.model.vocab));
        if (!loaded.tokenizer)
            throw Error(config.model.weights, "carries no tokenizer; give \"model.vocab\" in the experiment config");
        model = loaded.model;
        tokenizer = loaded.tokenizer;
    } else {
        const clip::ClipConfig cfg = config.model.config.is_null() ? clip::ClipConfig::preset(config.model.architecture)
                                                                   : clip::ClipConfig::fromJson(config.model.config);
        if (config.model.vocab.empty())
            throw Error(config.file.empty() ? fs::path("experiment config") : config.file,
                        "\"model\": a model without \"weights\" needs \"vocab\" (a tokenizer) to read captions");
        tokenizer = clip::loadTokenizer(config.model.vocab);
        torch::manual_seed(config.seed);
        model = clip::ClipModel(cfg);
        model->reset_parameters();
    }
    ctx.embedTexts = textEmbedder(model, tokenizer, &progress);
    ctx.embedImages = imageEmbedder(model, &progress);
    return ctx;
}

} // namespace poisonlab::experiment
