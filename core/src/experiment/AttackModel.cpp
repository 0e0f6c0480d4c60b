#include "poisonlab/core/experiment/AttackModel.h"

#include "ModelEmbedding.h"
#include "StartingModel.h"
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
    // The model the run starts from, so a preview picks the same images as the run.
    const StartingModel start = loadStartingModel(config);
    ctx.embedTexts = textEmbedder(start.model, start.tokenizer, &progress);
    ctx.embedImages = imageEmbedder(start.model, &progress);
    return ctx;
}

} // namespace poisonlab::experiment
