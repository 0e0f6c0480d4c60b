#include "poisonlab/core/experiment/ExperimentRunner.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Paths.h"
#include "poisonlab/core/Version.h"
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/attack/PaperJsonExport.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/DatasetChecksum.h"
#include "poisonlab/core/experiment/DefenseStage.h"
#include "poisonlab/core/experiment/EvaluationGoals.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/RunEvaluator.h"

#include "ModelEmbedding.h"
#include "poisonlab/core/train/DatasetImageSource.h"
#include "poisonlab/core/train/Trainer.h"

#include <torch/torch.h>

#include <optional>
#include <sstream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ModelBundle {
    clip::ClipModel model{nullptr};
    std::shared_ptr<clip::Tokenizer> tokenizer;
    json provenance;
};

fs::path configFile(const ExperimentConfig &c)
{
    return c.file.empty() ? fs::path("experiment config") : c.file;
}

ModelBundle loadModel(const ExperimentConfig &c)
{
    ModelBundle b;
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

train::TokenizeFn tokenizeFn(const std::shared_ptr<clip::Tokenizer> &tok)
{
    return [tok](const std::vector<std::string> &texts, int contextLength) {
        return tok->tokenizeBatch(texts, contextLength);
    };
}

/// Clean-model embeddings for attacks that need them (the similarity-aware one).
attack::AttackContext embeddingContext(const ModelBundle &b, ProgressReporter &progress)
{
    attack::AttackContext ctx;
    ctx.progress = &progress;
    ctx.embedTexts = textEmbedder(b.model, b.tokenizer);
    ctx.embedImages = imageEmbedder(b.model);
    return ctx;
}

/// Appends the trainer's records to metrics.jsonl and a line per epoch to run.log.
class RunMetricsSink final : public train::MetricsSink {
public:
    explicit RunMetricsSink(const RunDirectory &run) : m_run(run) {}
    void stepRecord(const json &record) override { m_run.appendMetrics(record); }
    void epochRecord(const json &record) override
    {
        m_run.appendMetrics(record);
        std::ostringstream line;
        line << "epoch " << record.value("epoch", 0) << " done: mean loss " << record.value("mean_loss", 0.0);
        m_run.log(line.str());
    }

private:
    const RunDirectory &m_run;
};

RunOutcome execute(ExperimentConfig config, const RunOptions &options, ProgressReporter &progress,
                   std::optional<RunDirectory> existing)
{
    const bool resuming = existing.has_value();
    if (!options.device.empty())
        config.training["device"] = options.device;
    const train::TrainOptions trainOptions = train::TrainOptions::fromJson(config.training);
    trainOptions.validate();
    json evalJson = config.evalOptions;
    if (!evalJson.contains("device"))
        evalJson["device"] = trainOptions.device;
    if (!evalJson.contains("baselineSeed"))
        evalJson["baselineSeed"] = config.seed;
    const eval::EvalOptions evalOptions = eval::EvalOptions::fromJson(evalJson);
    DefenseStage defenses(config); // plugins created and options checked before any work

    // Everything that can be wrong is found before the run directory is touched.
    progress.report({"prepare", 0, 0, "loading the model", {}});
    ModelBundle bundle = loadModel(config);
    ExperimentData data = prepareExperimentData(config, progress, embeddingContext(bundle, progress));
    const auto goals = evaluationGoals(config, data.poison, *data.evalDataset);
    const std::vector<int> captions = defenses.filter(*data.dataset, trainingCaptions(*data.dataset, config.trainSplit),
                                                      bundle.model, bundle.tokenizer, progress);
    const int resolution = bundle.model->config().imageResolution;
    // Decoded images persist across epochs and runs (userDataDir()/cache/images).
    auto diskCache = train::DatasetImageSource::openDiskCache(userDataDir() / "cache" / "images", resolution);
    auto images =
        std::make_shared<train::DatasetImageSource>(data.dataset, resolution, std::size_t(512) << 20, diskCache);
    train::TrainingPairs pairs = train::makeTrainingPairs(*data.dataset, captions, tokenizeFn(bundle.tokenizer),
                                                          bundle.model->config().contextLength);

    std::optional<RunDirectory> runOpt = existing;
    if (resuming) {
        const RunManifest m = runOpt->manifest();
        for (const auto &old : m.datasets)
            for (const auto &now : data.records)
                if (old.name == now.name && old.checksum != now.checksum)
                    throw Error(runOpt->path(), "dataset \"" + old.name +
                                                    "\" changed since the run started (checksum " + old.checksum +
                                                    ", now " + now.checksum + "); cannot resume");
    } else {
        RunManifest m;
        m.name = config.name;
        m.projectVersion = projectVersion();
        m.torchVersion = torchVersion();
        m.device = trainOptions.device;
        m.seed = config.seed;
        m.seeds = {{"attack", config.attack ? config.attack->options.value("seed", config.seed) : config.seed},
                   {"training", trainOptions.seed},
                   {"evaluation", evalOptions.baselineSeed}};
        m.datasets = data.records;
        if (!options.evaluateInitial)
            m.extra["evaluate_initial_skipped"] = true;
        runOpt = RunDirectory::create(options.outDir, m, options.force);
        json resolved = config.toJson();
        resolved["training"] = trainOptions.toJson();
        resolved["evaluation"]["options"] = evalOptions.toJson();
        runOpt->writeConfig(resolved);
        if (data.poison) {
            json mj = data.poison->toJson();
            writeJsonAtomically(runOpt->poisonDir() / "manifest.json", mj);
            attack::exportPaperJson(runOpt->poisonDir() / "train.json", *data.dataset, data.poison->split);
            attack::exportPaperJson(runOpt->poisonDir() / "poisoned.json", *data.dataset, data.poison->split, true);
        }
        runOpt->log("created run \"" + config.name + "\" (" + versionLine() + ")");
    }
    const RunDirectory &run = *runOpt;
    defenses.writeFilterResults(run);
    run.updateManifest([](RunManifest &m) {
        m.status = "running";
        m.error.clear();
    });

    RunOutcome outcome;
    outcome.runDir = run.path();
    try {
        RunEvaluator evaluator(galleriesOf(data), resolution, tokenizeFn(bundle.tokenizer), evalOptions, diskCache);
        train::Trainer trainer(bundle.model, std::move(pairs), images, trainOptions);
        trainer.setCheckpointDir(run.checkpointsDir());
        RunMetricsSink sink(run);
        trainer.setMetricsSink(&sink);

        bool haveInitial = false;
        if (resuming && train::Trainer::hasCheckpoint(run.checkpointsDir())) {
            trainer.resume(run.checkpointsDir());
            const long long from = trainer.resumedFromStep();
            // The resumed run writes the records after the checkpoint again.
            run.filterMetrics([&](const json &r) {
                const std::string type = r.value("type", "");
                if (type == "evaluation")
                    return r.value("model", "") == "initial";
                return r.value("step", 0LL) <= from;
            });
            run.log("resumed from step " + std::to_string(from));
        } else if (resuming) {
            run.filterMetrics([](const json &r) { return r.value("model", "") == "initial"; });
            run.log("no checkpoint yet: starting the training over");
        }
        for (const auto &r : run.metrics())
            if (r.value("type", "") == "evaluation" && r.value("model", "") == "initial") {
                haveInitial = true;
                outcome.initial = r;
            }
        // The starting model only: never a model already trained by a resumed run.
        if (options.evaluateInitial && !haveInitial && trainer.resumedFromStep() == 0) {
            progress.report({"evaluate", 0, 0, "evaluating the starting model", {}});
            json e = evaluator.evaluate(bundle.model, goals, progress);
            eval::writeEvaluationRecord(eval::evaluationRecordDir(run.path(), "initial"), "initial",
                                        evaluator.gallery(), bundle.model, goals, evaluator.galleryResult(), progress);
            e["type"] = "evaluation";
            e["model"] = "initial";
            e["epoch"] = 0;
            run.appendMetrics(e);
            outcome.initial = e;
        }
        if (config.evalEveryEpoch)
            trainer.setEpochHook([&](int epoch, clip::ClipModel &model) {
                progress.report(
                    {"evaluate", epoch, trainOptions.epochs, "evaluating after epoch " + std::to_string(epoch), {}});
                json e = evaluator.evaluate(model, goals, progress);
                const std::string name = "epoch-" + std::to_string(epoch);
                eval::writeEvaluationRecord(eval::evaluationRecordDir(run.path(), name), name, evaluator.gallery(),
                                            model, goals, evaluator.galleryResult(), progress);
                return json{{"evaluation", std::move(e)}};
            });

        run.log("training: " + std::to_string(trainer.totalSteps()) + " steps");
        const train::TrainSummary summary = trainer.run(progress);
        clip::ClipModel finalModel = trainer.model();
        progress.report({"evaluate", 0, 0, "evaluating the fine-tuned model", {}});
        json finalEval = evaluator.evaluate(finalModel, goals, progress);
        eval::writeEvaluationRecord(eval::evaluationRecordDir(run.path(), "final"), "final", evaluator.gallery(),
                                    finalModel, goals, evaluator.galleryResult(), progress);
        json record = finalEval;
        record["type"] = "evaluation";
        record["model"] = "final";
        record["epoch"] = trainOptions.epochs;
        run.appendMetrics(record);

        clip::saveClip(run.path() / "model" / "final.safetensors", finalModel, bundle.tokenizer.get(),
                       {{"run", config.name}, {"from", bundle.provenance}, {"poisonlab_version", projectVersion()}});
        json poison = nullptr;
        if (data.poison) {
            json mj = data.poison->toJson();
            mj.erase("pairs");
            poison = mj;
        }
        outcome.final = {{"name", config.name},
                         {"evaluation", finalEval},
                         {"initial_evaluation", outcome.initial.is_null() ? json() : outcome.initial},
                         {"poison", poison},
                         {"training", summary.toJson()}};
        outcome.final["training"].erase("stepLosses");
        run.writeResult("final", outcome.final);
        if (defenses.hasPostTraining())
            defenses.postTrain({config, run.path() / "model" / "final.safetensors", galleriesOf(data), goals,
                                evalOptions, trainOptions, run.resultsDir() / "defense", &run},
                               progress);
        run.updateManifest([](RunManifest &m) { m.status = "finished"; });
        run.log("finished");
    } catch (const CancelledError &) {
        run.updateManifest([](RunManifest &m) { m.status = "cancelled"; });
        run.log("cancelled; continue with: poisonlab-cli resume " + run.path().string());
        throw;
    } catch (const std::exception &e) {
        run.updateManifest([&](RunManifest &m) {
            m.status = "failed";
            m.error = e.what();
        });
        run.log(std::string("failed: ") + e.what());
        throw;
    }
    return outcome;
}

} // namespace

RunOutcome ExperimentRunner::run(const ExperimentConfig &config, const RunOptions &options, ProgressReporter &progress)
{
    if (options.outDir.empty())
        throw Error("no run directory given (--out DIR)");
    return execute(config, options, progress, std::nullopt);
}

RunOutcome ExperimentRunner::resume(const fs::path &runDir, ProgressReporter &progress)
{
    RunDirectory run = RunDirectory::open(runDir);
    const RunManifest m = run.manifest();
    if (m.status == "finished")
        throw Error(runDir,
                    "this run already finished; there is nothing to resume (results/final.json holds its results)");
    const ExperimentConfig config = ExperimentConfig::fromJson(run.config(), run.configPath());
    RunOptions options;
    options.outDir = run.path();
    options.evaluateInitial = !m.extra.value("evaluate_initial_skipped", false);
    return execute(config, options, progress, run);
}

} // namespace poisonlab::experiment
