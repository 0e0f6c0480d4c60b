#include "StartingModel.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeights.h"

#include <torch/torch.h>

#include <optional>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

fs::path configFile(const ExperimentConfig &c)
{
    return c.file.empty() ? fs::path("experiment config") : c.file;
}

} // namespace

StartingModel loadStartingModel(const ExperimentConfig &c)
{
    StartingModel b;
    if (!c.model.weights.empty()) {
        clip::LoadedClip loaded = clip::loadClip(
            c.model.weights, c.model.vocab.empty() ? std::nullopt : std::optional<fs::path>(c.model.vocab));
        if (!loaded.tokenizer)
            throw Error(c.model.weights, "carries no tokenizer; give \"model.vocab\" in the experiment config");
        b.model = loaded.model;
        b.tokenizer = loaded.tokenizer;
        b.provenance = {{"weights", c.model.weights.string()}, {"history", loaded.provenance}};
        return b;
    }
    const clip::ClipConfig cfg = c.model.config.is_null() ? clip::ClipConfig::preset(c.model.architecture)
                                                          : clip::ClipConfig::fromJson(c.model.config);
    if (c.model.vocab.empty())
        throw Error(configFile(c),
                    "\"model\": a model without \"weights\" needs \"vocab\" (a tokenizer) to read captions");
    b.tokenizer = clip::loadTokenizer(c.model.vocab);
    if (b.tokenizer->vocabSize() > cfg.vocabSize)
        throw Error(c.model.vocab, "has " + std::to_string(b.tokenizer->vocabSize()) +
                                       " tokens, more than the model's " + std::to_string(cfg.vocabSize));
    torch::manual_seed(c.seed);
    b.model = clip::ClipModel(cfg);
    b.model->reset_parameters();
    b.provenance = {{"weights", nullptr}, {"init", "random"}, {"seed", c.seed}};
    return b;
}

} // namespace poisonlab::experiment
