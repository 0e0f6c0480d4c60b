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
#include "poisonlab/core/distributed/DistributedGroup.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/DatasetChecksum.h"
#include "poisonlab/core/experiment/DefenseStage.h"
#include "poisonlab/core/experiment/EvaluationGoals.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/RunEvaluator.h"

#include "ModelEmbedding.h"
#include "RunAnalysisInputs.h"
#include "StartingModel.h"
#include "poisonlab/core/train/DatasetImageSource.h"
#include "poisonlab/core/train/Trainer.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

#include <optional>
#include <sstream>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using ModelBundle = StartingModel;

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

/// The evaluation options: the config's, with the training device and the run's seed as defaults.
eval::EvalOptions evaluationOptions(const ExperimentConfig &config, const train::TrainOptions &training)
{
    json evalJson = config.evalOptions;
    if (!evalJson.contains("device"))
        evalJson["device"] = training.device;
    if (!evalJson.contains("baselineSeed"))
        evalJson["baselineSeed"] = config.seed;
    return eval::EvalOptions::fromJson(evalJson);
}

/// Everything a run needs before its directory is touched: all that can be wrong is found here.
struct PreparedRun {
    train::TrainOptions training;
    eval::EvalOptions evalOptions;
    ModelBundle bundle;
    ExperimentData data;
    std::vector<eval::GoalSpec> goals;
    std::shared_ptr<data::ImageCache> diskCache;
    std::shared_ptr<train::DatasetImageSource> images;
    train::TrainingPairs pairs;
};

PreparedRun prepare(const ExperimentConfig &config, const train::TrainOptions &training,
                    const eval::EvalOptions &evalOptions, DefenseStage &defenses, ProgressReporter &progress)
{
    PreparedRun p;
    p.training = training;
    p.evalOptions = evalOptions;
    progress.report({"prepare", 0, 0, "loading the model", {}});
    p.bundle = loadStartingModel(config);
    p.data = prepareExperimentData(config, progress, embeddingContext(p.bundle, progress));
    p.goals = evaluationGoals(config, p.data.poison, *p.data.evalDataset);
    const std::vector<int> captions =
        defenses.filter(*p.data.dataset, trainingCaptions(*p.data.dataset, config.trainSplit), p.bundle.model,
                        p.bundle.tokenizer, progress);
    const int resolution = p.bundle.model->config().imageResolution;
    // Decoded images persist across epochs and runs (userDataDir()/cache/images).
    p.diskCache = train::DatasetImageSource::openDiskCache(userDataDir() / "cache" / "images", resolution);
    p.images =
        std::make_shared<train::DatasetImageSource>(p.data.dataset, resolution, std::size_t(512) << 20, p.diskCache);
    p.pairs = train::makeTrainingPairs(*p.data.dataset, captions, tokenizeFn(p.bundle.tokenizer),
                                       p.bundle.model->config().contextLength);
    return p;
}

/// Creates the run directory: manifest, resolved config and the poison's files.
RunDirectory createRunDirectory(const ExperimentConfig &config, const RunOptions &options, const PreparedRun &p)
{
    RunManifest m;
    m.name = config.name;
    m.projectVersion = projectVersion();
    m.torchVersion = torchVersion();
    m.device = p.training.device;
    m.seed = config.seed;
    m.seeds = {{"attack", config.attack ? config.attack->options.value("seed", config.seed) : config.seed},
               {"training", p.training.seed},
               {"evaluation", p.evalOptions.baselineSeed}};
    m.datasets = p.data.records;
    if (!options.evaluateInitial)
        m.extra["evaluate_initial_skipped"] = true;
    json resolved = config.toJson();
    resolved["training"] = p.training.toJson();
    resolved["evaluation"]["options"] = p.evalOptions.toJson();
    RunDirectory run = RunDirectory::create(options.outDir, m, options.force, [&](const RunDirectory &r) {
        r.writeConfig(resolved);
        if (const auto &poison = p.data.poison) {
            writeJsonAtomically(r.poisonDir() / "manifest.json", poison->toJson());
            attack::exportPaperJson(r.poisonDir() / "train.json", *p.data.dataset, poison->split);
            attack::exportPaperJson(r.poisonDir() / "poisoned.json", *p.data.dataset, poison->split, true);
        }
    });
    run.log("created run \"" + config.name + "\" (" + versionLine() + ")");
    return run;
}

/// Evaluates models of one run: each evaluation also leaves its record in results/embeddings/.
/// Without a run directory (ranks other than 0 of a data-parallel run) it only evaluates: every
/// rank takes part in the sharded embedding, rank 0 writes.
class RunEvaluations {
public:
    RunEvaluations(RunEvaluator &evaluator, const RunDirectory *run, const std::vector<eval::GoalSpec> &goals,
                   ProgressReporter &progress)
        : m_evaluator(evaluator), m_run(run), m_goals(goals), m_progress(progress)
    {
    }

    /// Evaluates `model` and writes its evaluation record results/embeddings/<name>/.
    eval::EvaluationResult evaluateAndRecord(clip::ClipModel &model, const std::string &name)
    {
        eval::EvaluationResult e = m_evaluator.evaluate(model, m_goals, m_progress);
        if (m_run)
            eval::writeEvaluationRecord(eval::evaluationRecordDir(m_run->path(), name), name, m_evaluator.gallery(),
                                        model, m_goals, m_evaluator.galleryResult(), m_progress);
        return e;
    }

    /// Appends `result` to metrics.jsonl as {"type":"evaluation","model":name,"epoch":epoch,...};
    /// returns that line.
    json append(eval::EvaluationResult result, const std::string &name, int epoch) const
    {
        result.extra.update({{"type", "evaluation"}, {"model", name}, {"epoch", epoch}});
        json line = result.toJson();
        if (m_run)
            m_run->appendMetrics(line);
        return line;
    }

private:
    RunEvaluator &m_evaluator;
    const RunDirectory *m_run;
    const std::vector<eval::GoalSpec> &m_goals;
    ProgressReporter &m_progress;
};

/// The "epoch-evaluation" progress event (docs/run-directory.md, "Progress events"): one
/// epoch's figures as numbers, the goals' names as a JSON array in the message.
ProgressEvent epochEvaluationEvent(int epoch, int epochs, const eval::EvaluationResult &e)
{
    ProgressEvent event{"epoch-evaluation", epoch, epochs, {}, {{"epoch", double(epoch)}}};
    auto put = [&](const std::string &key, double value) {
        if (value == value) // NaN: not measured
            event.values[key] = value;
    };
    json names = json::array();
    for (std::size_t i = 0; i < e.attacks.size(); ++i) {
        const std::string goal = "goal" + std::to_string(i) + ".";
        names.push_back(e.attacks[i].label());
        for (const auto &[k, hit] : e.attacks[i].attack.hits)
            put(goal + "hit@" + std::to_string(k), hit);
        put(goal + "minrank", e.attacks[i].attack.minRankMean);
    }
    const auto &u = e.utility;
    for (const auto &[dir, f] : {std::pair{"text", &u.textRetrieval}, std::pair{"image", &u.imageRetrieval}}) {
        put(std::string("utility.") + dir + ".r@1", f->r1);
        put(std::string("utility.") + dir + ".r@5", f->r5);
        put(std::string("utility.") + dir + ".r@10", f->r10);
    }
    put("r_mean", u.rMean);
    event.message = names.dump();
    return event;
}

/// On resume: loads the last checkpoint (on every rank) and, where `run` is given (rank 0),
/// drops the metrics records after it (the run writes them again).
void rewindMetrics(const fs::path &checkpoints, const RunDirectory *runOrNull, train::Trainer &trainer,
                   bool allowPrecisionChange)
{
    const bool hasCheckpoint = train::Trainer::hasCheckpoint(checkpoints);
    if (hasCheckpoint) {
        trainer.resume(checkpoints, allowPrecisionChange);
        for (const auto &warning : trainer.resumeWarnings()) {
            spdlog::warn("{}", warning);
            if (runOrNull)
                runOrNull->log("warning: " + warning);
        }
    }
    if (!runOrNull)
        return;
    const RunDirectory &run = *runOrNull;
    if (hasCheckpoint) {
        const long long from = trainer.resumedFromStep();
        run.filterMetrics([&](const json &r) {
            if (r.value("type", "") == "evaluation")
                return r.value("model", "") == "initial";
            return r.value("step", 0LL) <= from;
        });
        run.log("resumed from step " + std::to_string(from));
    } else {
        run.filterMetrics([](const json &r) { return r.value("model", "") == "initial"; });
        run.log("no checkpoint yet: starting the training over");
    }
}

/// The starting model's evaluation line already in metrics.jsonl (a resumed run), else null.
json initialEvaluationLine(const RunDirectory &run)
{
    json found;
    for (const auto &r : run.metrics())
        if (r.value("type", "") == "evaluation" && r.value("model", "") == "initial")
            found = r;
    return found;
}

/// results/final.json: the final evaluation, the starting model's, the poison without its pairs
/// and the training summary.
json finalResults(const ExperimentConfig &config, const PreparedRun &p, const eval::EvaluationResult &finalEval,
                  const json &initial, const train::TrainSummary &summary)
{
    json poison = nullptr;
    if (p.data.poison) {
        poison = p.data.poison->toJson();
        poison.erase("pairs");
    }
    json final = {{"name", config.name},
                  {"evaluation", finalEval.toJson()},
                  {"initial_evaluation", initial},
                  {"poison", poison},
                  {"training", summary.toJson()}};
    final["training"].erase("stepLosses");
    return final;
}

/// Training with per-epoch evaluation, the final evaluation, the model and results/final.json,
/// then the post-training defense.
/// In a data-parallel run, rank 0 (the one with the run directory) writes; every rank trains and
/// evaluates. `run` is null on the other ranks; `runPath` is the run directory on every rank.
void trainAndEvaluate(const ExperimentConfig &config, const RunOptions &options, PreparedRun &p,
                      const DefenseStage &defenses, const RunDirectory *run, const fs::path &runPath, bool resuming,
                      RunOutcome &outcome, ProgressReporter &progress)
{
    const auto &group = options.group;
    RunEvaluator evaluator(galleriesOf(p.data), p.bundle.model->config().imageResolution,
                           tokenizeFn(p.bundle.tokenizer), p.evalOptions, p.diskCache);
    evaluator.setProcessGroup(group);
    RunEvaluations evaluations(evaluator, run, p.goals, progress);
    train::Trainer trainer(p.bundle.model, std::move(p.pairs), p.images, p.training);
    trainer.setProcessGroup(group);
    std::optional<RunMetricsSink> sink;
    if (run) {
        trainer.setCheckpointDir(run->checkpointsDir());
        trainer.setMetricsSink(&sink.emplace(*run));
    }
    if (resuming)
        rewindMetrics(runPath / "checkpoints", run, trainer, options.allowPrecisionChange);
    outcome.initial = run ? initialEvaluationLine(*run) : json();
    // The starting model only: never a model already trained by a resumed run. Rank 0 knows
    // whether it was evaluated before; the others follow, since the evaluation is collective.
    bool evaluateInitial = options.evaluateInitial && outcome.initial.is_null() && trainer.resumedFromStep() == 0;
    if (group)
        evaluateInitial = group->broadcastFlag(evaluateInitial);
    if (evaluateInitial) {
        progress.report({"evaluate", 0, 0, "evaluating the starting model", {}});
        outcome.initial = evaluations.append(evaluations.evaluateAndRecord(p.bundle.model, "initial"), "initial", 0);
    }
    if (config.evalEveryEpoch)
        trainer.setEpochHook([&](int epoch, clip::ClipModel &model) {
            progress.report(
                {"evaluate", epoch, p.training.epochs, "evaluating after epoch " + std::to_string(epoch), {}});
            const auto result = evaluations.evaluateAndRecord(model, "epoch-" + std::to_string(epoch));
            progress.report(epochEvaluationEvent(epoch, p.training.epochs, result));
            return json{{"evaluation", result.toJson()}}; // kept in the epoch's metrics.jsonl record
        });

    if (run)
        run->log("training: " + std::to_string(trainer.totalSteps()) + " steps" +
                 (group ? " on " + std::to_string(group->size()) + " processes (" + group->backendName() + ")" : ""));
    const train::TrainSummary summary = trainer.run(progress);
    clip::ClipModel finalModel = trainer.model();
    progress.report({"evaluate", 0, 0, "evaluating the fine-tuned model", {}});
    outcome.evaluation = evaluations.evaluateAndRecord(finalModel, "final");
    evaluations.append(outcome.evaluation, "final", p.training.epochs);
    if (!run)
        return; // the model, the results and the post-training defense are rank 0's

    clip::saveClip(run->path() / "model" / "final.safetensors", finalModel, p.bundle.tokenizer.get(),
                   {{"run", config.name}, {"from", p.bundle.provenance}, {"poisonlab_version", projectVersion()}});
    outcome.final = finalResults(config, p, outcome.evaluation, outcome.initial, summary);
    run->writeResult("final", outcome.final);
    if (defenses.hasPostTraining())
        defenses.postTrain({config, run->path() / "model" / "final.safetensors", galleriesOf(p.data), p.goals,
                            p.evalOptions, p.training, run->resultsDir() / "defense", run},
                           progress);
}

/// A short fingerprint of what a rank is about to train on (the resolved config and the
/// datasets' checksums); the ranks of one data-parallel run must agree on it.
std::string runFingerprint(const ExperimentConfig &config, const PreparedRun &p)
{
    json what = {{"config", config.toJson()}, {"training", p.training.toJson()}, {"pairs", p.pairs.size()}};
    // "cuda:0" on one rank is "cuda:1" on the next
    what["training"].erase("device");
    if (what["config"].contains("training"))
        what["config"]["training"].erase("device");
    for (const auto &r : p.data.records)
        what["datasets"].push_back({r.name, r.images, r.captions, r.checksum});
    std::uint64_t hash = 1469598103934665603ULL; // FNV-1a, 64 bits
    for (const unsigned char c : what.dump()) {
        hash ^= c;
        hash *= 1099511628211ULL;
    }
    std::ostringstream hex;
    hex << std::hex << hash;
    return hex.str();
}

/// Runs `work` on every rank; in a data-parallel run all ranks then agree on whether it worked,
/// so a failure on one rank stops all of them with its message instead of leaving them waiting.
template <typename Work>
void onEveryRank(const std::shared_ptr<distributed::DistributedGroup> &group, const std::string &phase, Work &&work)
{
    if (!group) {
        work();
        return;
    }
    std::optional<std::string> failure;
    try {
        work();
    } catch (const std::exception &e) {
        failure = e.what();
    }
    group->agree(phase, failure);
}

RunOutcome execute(ExperimentConfig config, const RunOptions &options, ProgressReporter &progress,
                   std::optional<RunDirectory> existing)
{
    const bool resuming = existing.has_value();
    const auto &group = options.group;
    const bool lead = !group || group->rank() == 0; // writes the run directory
    if (!options.device.empty())
        config.training["device"] = options.device;
    train::TrainOptions training = train::TrainOptions::fromJson(config.training);
    if (group && training.device == "cuda")
        training.device = group->device().str(); // each rank on its own GPU (LOCAL_RANK)
    training.validate();
    if (group && training.batchSize % group->size() != 0) // before any work, as every bad option
        throw Error("training.batchSize " + std::to_string(training.batchSize) + " does not divide among " +
                    std::to_string(group->size()) + " processes; use a multiple of " + std::to_string(group->size()));
    const eval::EvalOptions evalOptions = evaluationOptions(config, training);
    DefenseStage defenses(config); // plugins created and options checked before any work
    PreparedRun prepared;
    onEveryRank(group, "preparing the model and data", [&] {
        prepared = prepare(config, training, evalOptions, defenses, progress);
        if (resuming)
            checkDatasetsUnchanged(*existing, prepared.data.records, "cannot resume"); // the datasets it started with
    });
    if (group)
        group->checkSameEverywhere("config and data fingerprint", runFingerprint(config, prepared));
    std::optional<RunDirectory> run;
    onEveryRank(group, "creating the run directory", [&] {
        if (!lead)
            return;
        run = resuming ? *existing : createRunDirectory(config, options, prepared);
        defenses.writeFilterResults(*run);
        run->updateManifest([&](RunManifest &m) {
            m.status = "running";
            m.error.clear();
            if (group)
                m.extra["processes"] = {{"world_size", group->size()}, {"backend", group->backendName()}};
        });
    });

    RunOutcome outcome;
    outcome.runDir = resuming ? existing->path() : options.outDir;
    try {
        trainAndEvaluate(config, options, prepared, defenses, run ? &*run : nullptr, outcome.runDir, resuming, outcome,
                         progress);
        if (run) {
            run->updateManifest([](RunManifest &m) { m.status = "finished"; });
            run->log("finished");
        }
    } catch (const CancelledError &) {
        if (run) {
            run->updateManifest([](RunManifest &m) { m.status = "cancelled"; });
            run->log("cancelled; continue with: poisonlab-cli resume " + run->path().string());
        }
        throw;
    } catch (const std::exception &e) {
        if (run) {
            run->updateManifest([&](RunManifest &m) {
                m.status = "failed";
                m.error = e.what();
            });
            run->log(std::string("failed: ") + e.what());
        }
        throw;
    }
    return outcome;
}

} // namespace

RunOutcome ExperimentRunner::run(const ExperimentConfig &config, const RunOptions &options, ProgressReporter &progress)
{
    if (options.outDir.empty())
        throw Error("no run directory given (--out DIR)");
    RunOptions own = options;
    if (own.group && own.group->size() < 2)
        own.group.reset();
    return execute(config, own, progress, std::nullopt);
}

RunOutcome ExperimentRunner::resume(const fs::path &runDir, ProgressReporter &progress,
                                    const ResumeOptions &resumeOptions)
{
    RunDirectory run = RunDirectory::open(runDir);
    const RunManifest m = run.manifest();
    if (m.status == "finished")
        throw Error(runDir,
                    "this run already finished; there is nothing to resume (results/final.json holds its results)");
    json saved = run.config();
    const std::string was = saved.value("training", json::object()).value("precision", std::string("fp32"));
    const std::string now = resumeOptions.precision.empty() ? was : resumeOptions.precision;
    if (now != was) {
        if (!resumeOptions.allowPrecisionChange)
            throw Error(runDir, "was trained in " + was + "; continuing in " + now +
                                    " changes its numbers from here on. Resume with --allow-precision-change to do "
                                    "it anyway, or without --precision to continue in " +
                                    was);
        saved["training"]["precision"] = now;
    }
    const ExperimentConfig config = ExperimentConfig::fromJson(saved, run.configPath());
    RunOptions options;
    options.outDir = run.path();
    options.evaluateInitial = !m.extra.value("evaluate_initial_skipped", false);
    options.group = resumeOptions.group && resumeOptions.group->size() > 1 ? resumeOptions.group : nullptr;
    options.allowPrecisionChange = now != was;
    if (now != was && (!options.group || options.group->rank() == 0)) {
        run.writeConfig(saved); // later resumes continue in the new precision
        run.log("continuing in " + now + " (trained in " + was + " so far)");
    }
    return execute(config, options, progress, run);
}

} // namespace poisonlab::experiment
