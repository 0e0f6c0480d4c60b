#include "poisonlab/core/experiment/RunAnalysis.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/MemoryBudget.h"
#include "poisonlab/core/analysis/DistanceDensity.h"
#include "poisonlab/core/analysis/EmbeddingShift.h"
#include "poisonlab/core/analysis/MinRankGrid.h"
#include "poisonlab/core/analysis/Pca.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/train/DatasetImageSource.h"

#include "RunAnalysisInputs.h"

#include <torch/torch.h>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char *const kAnalysisFiles[] = {"minrank_grid.json", "embedding_shift.json", "projection_pca.json",
                                      "projection_tsne.json", "distance_density.json"};

struct Reference {
    std::string label; ///< how it is named in the output: "initial", "<run>/final", a folder
    eval::EvaluationRecord record;
};

/// The reference record, or none (empty label) when there is nothing to compare with.
std::optional<Reference> loadReference(const RunDirectory &run, const AnalyzeOptions &o)
{
    if (o.reference.empty()) {
        const fs::path dir = eval::evaluationRecordDir(run.path(), "initial");
        if (o.model == "initial" || !fs::is_directory(dir))
            return std::nullopt;
        return Reference{"initial", eval::EvaluationRecord::load(dir)};
    }
    const fs::path asPath(o.reference);
    if (fs::is_directory(asPath) && RunDirectory::isRunDirectory(asPath)) {
        const RunDirectory other = RunDirectory::open(asPath);
        return Reference{other.manifest().name + "/" + o.model,
                         eval::EvaluationRecord::load(eval::evaluationRecordDir(asPath, o.model))};
    }
    if (fs::is_directory(asPath) && fs::exists(asPath / "index.json"))
        return Reference{asPath.string(), eval::EvaluationRecord::load(asPath)};
    if (o.reference.find('/') == std::string::npos)
        return Reference{o.reference, eval::EvaluationRecord::load(eval::evaluationRecordDir(run.path(), o.reference))};
    throw Error(asPath, "is neither a run directory, an evaluation record folder, nor a model name of this run");
}

json points(const eval::EvaluationRecord &r, const torch::Tensor &xy, const std::vector<int> &rows)
{
    const auto nImages = r.images.size(0);
    const auto p = xy.to(torch::kFloat64).contiguous();
    json out = json::array();
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const int row = rows[k];
        const bool isImage = row < nImages;
        const int local = isImage ? row : int(row - nImages);
        const int cls = isImage ? r.imageClass[std::size_t(local)] : r.captionClass[std::size_t(local)];
        out.push_back({{"x", p[std::int64_t(k)][0].item<double>()},
                       {"y", p[std::int64_t(k)][1].item<double>()},
                       {"modality", isImage ? "image" : "caption"},
                       {"row", local},
                       {"class", cls >= 0 ? json(r.classes[std::size_t(cls)]) : json()},
                       {"poisoned", isImage ? false : bool(r.captionPoisoned[std::size_t(local)])}});
    }
    return out;
}

torch::Tensor stacked(const eval::EvaluationRecord &r)
{
    return torch::cat({r.images, r.captions});
}

} // namespace

AnalyzeOutcome analyzeRun(const AnalyzeOptions &o, ProgressReporter &progress)
{
    const RunDirectory run = RunDirectory::open(o.runDir);
    const fs::path outDir = run.resultsDir() / "analysis";
    if (!o.force)
        for (const char *name : kAnalysisFiles)
            if (fs::exists(outDir / name))
                throw Error(outDir / name, "already exists; pass --force to replace the analyses");
    AnalyzeOutcome out;
    auto write = [&](const char *name, const json &value) {
        writeJsonAtomically(outDir / name, value, -1);
        out.written.push_back(outDir / name);
    };

    progress.report({"analyze", 0, 5, "loading the evaluation records", {}});
    const eval::EvaluationRecord model = eval::EvaluationRecord::load(eval::evaluationRecordDir(run.path(), o.model));
    const std::optional<Reference> reference = loadReference(run, o);
    if (reference && reference->record.classes != model.classes)
        throw Error(reference->record.dir / "index.json",
                    "lists other classes than " + (model.dir / "index.json").string());

    // 1. MinRank of every class pair.
    progress.report({"analyze", 1, 5, "MinRank grid", {}});
    {
        const std::uint64_t captions = std::uint64_t(model.captions.size(0)),
                            images = std::uint64_t(model.images.size(0));
        requireMemory(
            sizeof(float) * captions * images, "the MinRank grid of " + (model.dir / "index.json").string(),
            std::to_string(captions) + " captions x " + std::to_string(images) + " images similarity matrix in float32",
            "analyze a run evaluated on a smaller gallery (evaluation.split), or on a machine with more memory");
        const torch::Tensor sims = model.captions.matmul(model.images.t()).contiguous();
        eval::SimilarityView view{sims.data_ptr<float>(), sims.size(0), sims.size(1)};
        json grid =
            analysis::minRankGrid(view, model.captionClass, model.imageClass, model.classes, 10, model.ties).toJson();
        grid["model"] = o.model;
        write("minrank_grid.json", grid);
        out.summary["minrank_grid"] = {{"classes", model.classes.size()}};
    }

    // 2. Embedding shift against the reference.
    progress.report({"analyze", 2, 5, "embedding shift", {}});
    if (reference) {
        checkSameRows(model, reference->record);
        const auto shift = analysis::embeddingShift(reference->record.images, reference->record.captions, model.images,
                                                    model.captions);
        write("embedding_shift.json", {{"reference", reference->label},
                                       {"model", o.model},
                                       {"distance", "1 - cos"},
                                       {"images", shift.images.toJson()},
                                       {"captions", shift.captions.toJson()}});
        out.summary["embedding_shift"] = {{"images_mean", shift.images.mean}, {"captions_mean", shift.captions.mean}};
    } else {
        out.skipped.push_back("embedding_shift: no reference (the run has no \"initial\" record; give --reference)");
    }

    // 3./4. Projections of each model's images and captions together.
    std::vector<std::pair<std::string, const eval::EvaluationRecord *>> models = {{o.model, &model}};
    if (reference)
        models.emplace_back(reference->label, &reference->record);
    {
        progress.report({"analyze", 3, 5, "PCA", {}});
        json byModel = json::object();
        for (const auto &[label, rec] : models) {
            const auto p = analysis::pca(stacked(*rec), 2);
            std::vector<int> rows(std::size_t(p.projected.size(0)));
            std::iota(rows.begin(), rows.end(), 0);
            byModel[label] = {{"explained_ratio", p.explainedRatio}, {"points", points(*rec, p.projected, rows)}};
        }
        write("projection_pca.json",
              {{"method", "pca"},
               {"params", {{"components", 2}, {"fit", "per model, images and captions together"}}},
               {"model", o.model},
               {"reference", reference ? json(reference->label) : json()},
               {"models", byModel}});
    }
    {
        progress.report({"analyze", 4, 5, "t-SNE", {}});
        analysis::TsneOptions t;
        t.perplexity = o.perplexity;
        t.iterations = o.tsneIterations;
        t.maxPoints = o.tsneMax;
        t.method = o.tsneMethod;
        t.seed = o.seed;
        json byModel = json::object();
        json params = t.toJson();
        for (const auto &[label, rec] : models) {
            const auto r = analysis::tsne(stacked(*rec), t, &progress);
            byModel[label] = {{"run", r.describe()}, {"points", points(*rec, r.points, r.rows)}};
            params["sample"] = r.sampled
                                   ? json{{"input_rows", r.inputRows}, {"kept_rows", r.rows.size()}, {"seed", t.seed}}
                                   : json(nullptr);
        }
        write("projection_tsne.json", {{"method", "tsne"},
                                       {"params", params},
                                       {"model", o.model},
                                       {"reference", reference ? json(reference->label) : json()},
                                       {"models", byModel}});
    }

    // 5. Image-caption distances of the training pairs under the fine-tuned model.
    progress.report({"analyze", 5, 5, "training-pair distances", {}});
    if (!o.density) {
        out.skipped.push_back("distance_density: not asked for");
        return out;
    }
    const fs::path weights = run.path() / "model" / "final.safetensors";
    if (!fs::is_regular_file(weights))
        throw Error(weights, "is missing; the distance density embeds the training pairs with the fine-tuned model");
    const ExperimentConfig config = ExperimentConfig::fromJson(run.config(), run.configPath());
    std::shared_ptr<const data::Dataset> ds = runTrainingSet(run, config, progress);
    clip::LoadedClip loaded = clip::loadClip(weights);
    if (!loaded.tokenizer)
        throw Error(weights, "carries no tokenizer to read the training captions");
    auto tok = loaded.tokenizer;
    eval::EvalOptions eo;
    eo.baselineSeed = o.seed;
    eval::Evaluator evaluator(
        ds, gallerySplit(config.trainSplit),
        std::make_shared<train::DatasetImageSource>(ds, loaded.config.imageResolution),
        [tok](const std::vector<std::string> &texts, int L) { return tok->tokenizeBatch(texts, L); }, eo);
    const auto &e = evaluator.embed(loaded.model, progress);
    std::vector<std::int64_t> cols(e.captionColumn.begin(), e.captionColumn.end());
    const auto pairedImages = e.images.index_select(0, torch::tensor(cols, torch::kInt64));
    const auto distances = analysis::rowCosineDistances(e.captions, pairedImages);
    std::map<std::string, std::vector<double>> groups = {{"clean", {}}, {"poisoned", {}}};
    for (std::size_t r = 0; r < distances.size(); ++r)
        groups[ds->captions[std::size_t(e.captionIds[r])].poisoned ? "poisoned" : "clean"].push_back(distances[r]);
    json density = analysis::estimateDensities(groups, o.bandwidth).toJson();
    density["model"] = "final";
    density["pairs"] = "training pairs (" + config.trainSplit + " split), 1 - cos(image, caption)";
    write("distance_density.json", density);
    out.summary["distance_density"] = {{"clean", groups["clean"].size()}, {"poisoned", groups["poisoned"].size()}};
    return out;
}

} // namespace poisonlab::experiment
