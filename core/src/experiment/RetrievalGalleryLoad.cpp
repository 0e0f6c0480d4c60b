// RetrievalGallery::load: a run's evaluation record of one model, embedded by the run or, when
// the run did not evaluate that model, embedded here and written in the record's format.
#include "poisonlab/core/experiment/RetrievalGallery.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/EvaluationGoals.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunModel.h"
#include "poisonlab/core/train/DatasetImageSource.h"

#include "RunAnalysisInputs.h"

#include <torch/torch.h>

#include <optional>
#include <unistd.h>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// Beyond this many scores the captions x images matrix is not kept; queries compute their row.
constexpr std::int64_t kMaxCachedScores = std::int64_t(1) << 25;

/// The evaluation gallery as the run evaluated it: the config's datasets (the test split is the
/// same with or without the attack, which only touches training pairs), checked unchanged.
ExperimentData galleryData(const RunDirectory &run, const ExperimentConfig &config, ProgressReporter &progress)
{
    return runCleanData(run, config, progress, "its gallery cannot be embedded again");
}

/// Embeds the gallery with `model`, evaluates the run's goals and writes the record into `dir`
/// through a temporary folder renamed at the end, so a failure or cancel leaves no partial record.
void writeRecord(const RunDirectory &run, const ExperimentConfig &config, const std::string &name, RunModel &model,
                 const fs::path &dir, ProgressReporter &progress)
{
    ExperimentData data = galleryData(run, config, progress);
    std::optional<attack::PoisonManifest> manifest;
    const fs::path manifestFile = run.poisonDir() / "manifest.json";
    if (fs::is_regular_file(manifestFile))
        manifest = attack::PoisonManifest::fromJson(readJsonFile(manifestFile), manifestFile);
    const std::vector<eval::GoalSpec> goals = evaluationGoals(config, manifest, *data.evalDataset);
    eval::EvalOptions options = eval::EvalOptions::fromJson(config.evalOptions);
    options.device = "cpu";
    auto tokenizer = model.tokenizer;
    eval::Evaluator evaluator(
        data.evalDataset, data.evalSplit,
        std::make_shared<train::DatasetImageSource>(data.evalDataset, model.model->config().imageResolution),
        [tokenizer](const std::vector<std::string> &texts, int L) { return tokenizer->tokenizeBatch(texts, L); },
        options);
    const eval::EvaluationResult result = evaluator.evaluate(model.model, goals, progress);
    progress.throwIfCancelled();
    const fs::path partial = dir.parent_path() / ("." + name + ".partial-" + std::to_string(::getpid()));
    std::error_code ec;
    fs::remove_all(partial, ec);
    try {
        eval::writeEvaluationRecord(partial, name, evaluator, model.model, goals, result, progress);
        fs::rename(partial, dir);
    } catch (...) {
        fs::remove_all(partial, ec);
        throw;
    }
}

/// The run's dataset roots, the evaluation dataset's first (gallery paths are relative to one).
std::vector<fs::path> datasetRoots(const RunDirectory &run, const ExperimentConfig &config)
{
    std::vector<fs::path> roots;
    for (const auto &d : run.manifest().datasets) {
        if (d.name == config.evalDataset)
            roots.insert(roots.begin(), fs::path(d.root));
        else
            roots.emplace_back(d.root);
    }
    return roots;
}

} // namespace

std::shared_ptr<const RetrievalGallery> RetrievalGallery::load(const RetrievalGalleryOptions &o,
                                                               ProgressReporter &progress)
{
    const RunDirectory run = RunDirectory::open(o.runDir);
    if (!isRunModelName(o.model))
        throw Error(o.runDir, "has no model \"" + o.model + "\" (models are named final, initial or epoch-N)");
    const ExperimentConfig config = ExperimentConfig::fromJson(run.config(), run.configPath());
    std::shared_ptr<RetrievalGallery> g(new RetrievalGallery);
    g->m_runDir = run.path();
    g->m_runName = run.manifest().name;
    g->m_model = o.model;

    std::optional<RunModel> model;
    const fs::path dir = eval::evaluationRecordDir(run.path(), o.model);
    if (!fs::exists(dir)) {
        progress.report({"retrieval", 0, 0, "embedding the gallery with the " + o.model + " model", {}});
        model = loadRunModel(run, config, o.model);
        writeRecord(run, config, o.model, *model, dir, progress);
        g->m_computedNow = true;
    }
    progress.throwIfCancelled();
    progress.report({"retrieval", 0, 0, "reading the " + o.model + " gallery", {}});
    g->m_record = eval::EvaluationRecord::load(dir);
    g->m_ties = g->m_record.ties; // rankings follow the rank rule the record's metrics used
    if (g->m_record.captions.size(0) * g->m_record.images.size(0) <= kMaxCachedScores)
        g->m_similarity = g->m_record.captions.matmul(g->m_record.images.t()).contiguous();
    g->buildDataset(datasetRoots(run, config));
    g->findTargets();

    if (!o.textModel) {
        g->m_textProblem = "the model was not loaded";
        return g;
    }
    try {
        if (!model)
            model = loadRunModel(run, config, o.model);
        if (model->model->config().embedDim != g->m_record.images.size(1))
            throw Error(model->source, "embeds into " + std::to_string(model->model->config().embedDim) +
                                           " dimensions, the record " + std::to_string(g->m_record.images.size(1)));
        model->model->eval();
        g->m_textModel = model->model;
        g->m_tokenizer = model->tokenizer;
    } catch (const CancelledError &) {
        throw;
    } catch (const Error &e) {
        g->m_textProblem = e.what();
    }
    return g;
}

void RetrievalGallery::buildDataset(const std::vector<fs::path> &roots)
{
    auto ds = std::make_shared<data::Dataset>();
    ds->name = m_runName + " (" + m_model + ")";
    ds->format = "evaluation-record";
    if (!roots.empty()) {
        ds->root = roots.front();
        ds->extraRoots.assign(roots.begin() + 1, roots.end());
    }
    ds->classes = m_record.classes;
    const json &images = m_record.index.at("images");
    std::size_t lastRoot = 0;
    for (std::size_t r = 0; r < images.size(); ++r) {
        data::ImageRecord im;
        im.path = images[r].value("path", "");
        // The gallery shows these images: a record may not name a file outside the dataset.
        if (const auto problem = pathEscapeProblem(roots.empty() ? fs::path() : roots.front(), im.path, false,
                                                   {"image path", "the dataset root"}))
            throw Error(eval::evaluationRecordDir(m_runDir, m_model) / "index.json",
                        "images[" + std::to_string(r) + "] \"" + im.path + "\" refused: " + *problem);
        im.label = m_record.imageClass[r];
        for (const auto &name : images[r].value("classes", json::array()))
            if (name.is_string())
                if (int k = ds->classIndex(name.get<std::string>()); k >= 0)
                    im.categories.push_back(k);
        im.split = data::parseSplit(images[r].value("split", "none")).value_or(data::Split::None);
        // Most galleries lie under one root: try the last one that held a file first.
        std::error_code ec;
        if (!roots.empty() && !fs::exists(roots[lastRoot] / im.path, ec))
            for (std::size_t k = 0; k < roots.size(); ++k)
                if (fs::exists(roots[k] / im.path, ec)) {
                    lastRoot = k;
                    break;
                }
        im.root = std::uint16_t(lastRoot);
        if (!roots.empty() && !resolvesInside(roots[lastRoot], roots[lastRoot] / im.path))
            throw Error(eval::evaluationRecordDir(m_runDir, m_model) / "index.json",
                        "images[" + std::to_string(r) + "] \"" + im.path +
                            "\" refused: image path leads outside the dataset root through a symbolic link");
        ds->images.push_back(std::move(im));
    }
    const json &captions = m_record.index.at("captions");
    for (std::size_t r = 0; r < captions.size(); ++r) {
        data::CaptionRecord c;
        c.image = m_record.captionImageRow[r];
        c.text = captions[r].value("text", "");
        c.poisoned = m_record.captionPoisoned[r] != 0;
        ds->captions.push_back(std::move(c));
    }
    m_dataset = std::move(ds);
}

void RetrievalGallery::findTargets()
{
    m_target.assign(std::size_t(imageCount()), 0);
    const json goals = m_record.index.value("goals", json::array());
    for (const auto &goal : goals) {
        m_goalNames.push_back(goal.value("name", ""));
        std::vector<int> rows = goal.value("target_rows", std::vector<int>{});
        if (int row = goal.value("target_image_row", -1); row >= 0)
            rows.push_back(row);
        for (int row : rows)
            if (row >= 0 && row < imageCount())
                m_target[std::size_t(row)] = 1;
    }
}

} // namespace poisonlab::experiment
