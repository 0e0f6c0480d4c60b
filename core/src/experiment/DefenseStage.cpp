#include "poisonlab/core/experiment/DefenseStage.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/plugin/PluginRegistry.h"
#include "poisonlab/core/train/DatasetImageSource.h"
#include "poisonlab/core/train/Trainer.h"

#include "ModelEmbedding.h"

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <sstream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

fs::path configFile(const ExperimentConfig &c)
{
    return c.file.empty() ? fs::path("experiment config") : c.file;
}

/// Embedding callbacks over one model (the same batching as the attack's clean-model context).
defense::ScoringContext scoringContext(clip::ClipModel model, std::shared_ptr<clip::Tokenizer> tok,
                                       const std::string &name, ProgressReporter &progress)
{
    defense::ScoringContext ctx;
    ctx.progress = &progress;
    ctx.model = name;
    ctx.embedTexts = textEmbedder(model, tok, &progress);
    ctx.embedImages = imageEmbedder(model, &progress);
    return ctx;
}

std::string className(const data::Dataset &ds, int image)
{
    if (image < 0 || static_cast<size_t>(image) >= ds.images.size())
        return {};
    const int label = ds.images[image].label;
    return label >= 0 && static_cast<size_t>(label) < ds.classes.size() ? ds.classes[label] : std::string();
}

json trainingWithOverrides(const train::TrainOptions &base, const defense::FineTuneRequest &request)
{
    json merged = base.toJson();
    for (const auto &[key, value] : request.training.items())
        merged[key] = value;
    merged["epochs"] = request.epochs;
    merged["learningRate"] = request.learningRate;
    return merged;
}

} // namespace

DefenseStage::DefenseStage(const ExperimentConfig &config)
{
    defense::DefenseEnvironment env;
    for (const auto &d : config.datasets)
        env.datasets.push_back(d.name);
    env.poisoned = config.attack.has_value();
    auto &registry = plugin::PluginRegistry::instance();
    for (size_t i = 0; i < config.defenses.size(); ++i) {
        const PluginSpec &spec = config.defenses[i];
        const std::string where = "\"defenses[" + std::to_string(i) + "]\": ";
        const plugin::PluginMetadata *meta = registry.find(spec.plugin);
        if (!meta || meta->kind != "defense")
            throw Error(configFile(config), where + "\"" + spec.plugin + "\" is not a defense plugin");
        const defense::DefenseStageKind kind = defense::defenseStageOf(*meta);
        std::optional<Entry> &slot = kind == defense::DefenseStageKind::PreTraining ? m_pre : m_post;
        if (slot)
            throw Error(
                configFile(config),
                where + "a second " +
                    std::string(kind == defense::DefenseStageKind::PreTraining ? "pre-training" : "post-training") +
                    " defense (\"" + spec.plugin + "\" after \"" + slot->plugin->metadata().id +
                    "\"); one of each stage per run");
        std::string error;
        auto plugin = registry.create<defense::DefensePlugin>(spec.plugin, &error);
        if (!plugin)
            throw Error("cannot load defense plugin \"" + spec.plugin + "\": " + error);
        try {
            plugin->validate(spec.options, env);
        } catch (const Error &e) {
            throw Error(configFile(config), where + e.what());
        }
        slot = Entry{plugin, spec.options};
    }
}

std::vector<int> DefenseStage::filter(const data::Dataset &dataset, std::vector<int> captions,
                                      const clip::ClipModel &initial, const std::shared_ptr<clip::Tokenizer> &tokenizer,
                                      ProgressReporter &progress)
{
    if (!m_pre)
        return captions;
    const std::string modelOption = m_pre->options.value("model", std::string("initial"));
    defense::ScoringContext ctx;
    if (modelOption == "initial") {
        ctx = scoringContext(initial, tokenizer, "initial", progress);
    } else {
        clip::LoadedClip loaded = clip::loadClip(modelOption);
        if (!loaded.tokenizer)
            throw Error(modelOption, "carries no tokenizer, so it cannot score captions");
        ctx = scoringContext(loaded.model, loaded.tokenizer, modelOption, progress);
    }
    progress.report({"defense", 0, 0, "scoring the training pairs (" + m_pre->plugin->metadata().id + ")", {}});
    defense::FilterResult result = m_pre->plugin->filter(dataset, captions, m_pre->options, ctx);
    if (result.scores.size() != captions.size() || result.removed.size() != captions.size())
        throw Error("defense \"" + m_pre->plugin->metadata().id + "\" returned the wrong number of scores");
    if (result.kept.empty())
        throw Error("defense \"" + m_pre->plugin->metadata().id + "\" removed all " + std::to_string(captions.size()) +
                    " training pairs; nothing is left to train on (raise the threshold)");
    json rowsJson = json::array();
    for (size_t r = 0; r < captions.size(); ++r) {
        const data::CaptionRecord &cap = dataset.captions[captions[r]];
        const int own = cap.poisoned && cap.originalImage >= 0 ? cap.originalImage : cap.image;
        rowsJson.push_back({{"row", r},
                            {"caption", captions[r]},
                            {"image", cap.image},
                            {"original_image", own},
                            {"class", className(dataset, own)},
                            {"poisoned", cap.poisoned},
                            {"removed", result.removed[r] != 0},
                            {"distance", result.scores[r]}});
    }
    m_index = {{"scoring_model", ctx.model},
               {"score", "cosine distance 1 - cos(image, caption) of the scoring model"},
               {"rows", rowsJson}};
    std::vector<int> kept = result.kept;
    m_filtered = std::move(result);
    return kept;
}

void DefenseStage::writeFilterResults(const RunDirectory &run) const
{
    if (!m_filtered)
        return;
    const fs::path dir = run.resultsDir() / "defense";
    writeJsonAtomically(dir / "prefilter.json", m_filtered->report);
    writeNpy(dir / "prefilter_scores.npy", m_filtered->scores.data(),
             {static_cast<std::int64_t>(m_filtered->scores.size())});
    writeJsonAtomically(dir / "prefilter_index.json", m_index, -1);
    const json &c = m_filtered->report["counts"];
    std::ostringstream line;
    line << m_pre->plugin->metadata().id << ": removed " << c.value("removed", 0LL) << " of " << c.value("pairs", 0LL)
         << " training pairs (" << c.value("removed_poisoned", 0LL) << " of " << c.value("poisoned", 0LL)
         << " poisoned, " << c.value("removed_clean", 0LL)
         << " clean) at distance >= " << m_filtered->report["threshold"].value("distance", 0.0)
         << "; see results/defense/prefilter_index.json";
    run.log(line.str());
}

json DefenseStage::postTrain(const PostTrainingInputs &in, ProgressReporter &progress) const
{
    if (!m_post)
        return nullptr;
    const std::string id = m_post->plugin->metadata().id;
    auto log = [&](const std::string &line) {
        if (in.run)
            in.run->log(line);
    };
    if (!fs::is_regular_file(in.poisonedModel))
        throw Error(in.poisonedModel, "is missing: defense \"" + id + "\" needs the poisoned model");
    clip::LoadedClip probe = clip::loadClip(in.poisonedModel);
    if (!probe.tokenizer)
        throw Error(in.poisonedModel, "carries no tokenizer");
    auto tok = probe.tokenizer;
    train::TokenizeFn tokenize = [tok](const std::vector<std::string> &texts, int contextLength) {
        return tok->tokenizeBatch(texts, contextLength);
    };
    const int resolution = probe.config.imageResolution;
    auto evaluator = std::make_shared<RunEvaluator>(in.galleries, resolution, tokenize, in.evalOptions);

    defense::PostTrainingContext ctx;
    ctx.progress = &progress;
    ctx.evaluatePoisoned = [&]() {
        progress.report({"defense", 0, 0, "evaluating the poisoned model", {}});
        clip::ClipModel model = clip::loadClip(in.poisonedModel).model;
        return evaluator->evaluate(model, in.goals, progress);
    };
    // Clean data, read once per (dataset, split).
    std::map<std::pair<std::string, std::string>, std::shared_ptr<data::Dataset>> cleanData;
    ctx.fineTune = [&](const defense::FineTuneRequest &request,
                       const std::function<void(int, const eval::EvaluationResult &)> &afterEpoch) {
        auto &ds = cleanData[{request.dataset, request.split}];
        if (!ds) {
            ExperimentConfig clean = in.config;
            clean.attack.reset();
            clean.defenses.clear();
            clean.trainDatasets = {request.dataset};
            clean.trainSplit = request.split;
            clean.evalDataset = request.dataset;
            clean.evalSplit = request.split;
            ds = prepareExperimentData(clean, progress).dataset;
        }
        const std::vector<int> captions = trainingCaptions(*ds, request.split);
        if (captions.empty())
            throw Error("defense \"" + id + "\": dataset \"" + request.dataset + "\" has no pairs in split \"" +
                        request.split + "\"");
        train::TrainOptions options = train::TrainOptions::fromJson(trainingWithOverrides(in.training, request));
        options.validate();
        clip::LoadedClip loaded = clip::loadClip(in.poisonedModel);
        train::TrainingPairs pairs = train::makeTrainingPairs(*ds, captions, tokenize, loaded.config.contextLength);
        auto images = std::make_shared<train::DatasetImageSource>(ds, resolution);
        train::Trainer trainer(loaded.model, std::move(pairs), images, options);
        trainer.setEpochHook([&](int epoch, clip::ClipModel &model) {
            progress.report({"defense",
                             epoch,
                             options.epochs,
                             "evaluating after clean fine-tuning epoch " + std::to_string(epoch),
                             {}});
            const eval::EvaluationResult e = evaluator->evaluate(model, in.goals, progress);
            afterEpoch(epoch, e);
            const auto orZero = [](double v) { return std::isnan(v) ? 0.0 : v; };
            std::ostringstream line;
            line << id << ": lr " << options.learningRate << ", epoch " << epoch << ": r_mean "
                 << orZero(e.utility.rMean);
            for (const auto &a : e.attacks)
                line << ", " << a.name << " hit@10 " << orZero(a.attack.hitAt(10));
            log(line.str());
            return json::object();
        });
        log(id + ": fine-tuning the poisoned model on \"" + request.dataset + "\" (" + request.split + ", " +
            std::to_string(captions.size()) + " pairs) at lr " + std::to_string(options.learningRate) + " for " +
            std::to_string(options.epochs) + " epoch(s)");
        trainer.run(progress);
    };
    json result = m_post->plugin->postTrain(m_post->options, ctx);
    writeJsonAtomically(in.outDir / "posttrain.json", result);
    log(id + ": wrote " + (in.outDir / "posttrain.json").string());
    return result;
}

} // namespace poisonlab::experiment
