#include "poisonlab/core/eval/EvaluationRecord.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/eval/EvaluationRecordIndex.h"

#include <torch/torch.h>

namespace poisonlab::eval {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json className(const data::Dataset &ds, int k)
{
    return k >= 0 && std::size_t(k) < ds.classes.size() ? json(ds.classes[std::size_t(k)]) : json();
}

void writeMatrix(const fs::path &path, const torch::Tensor &t)
{
    const torch::Tensor c = t.to(torch::kCPU, torch::kFloat32).contiguous();
    writeNpy(path, c.data_ptr<float>(), {c.size(0), c.size(1)});
}

torch::Tensor readMatrix(const fs::path &path)
{
    NpyArray a = readNpy(path);
    if (a.shape.size() != 2)
        throw Error(path, "holds a " + std::to_string(a.shape.size()) + "-dimensional array; [rows, dim] is expected");
    return torch::from_blob(a.data.data(), {a.shape[0], a.shape[1]}, torch::kFloat32).clone();
}

} // namespace

fs::path evaluationRecordDir(const fs::path &runDir, const std::string &modelName)
{
    return runDir / "results" / "embeddings" / modelName;
}

void writeEvaluationRecord(const fs::path &dir, const std::string &modelName, Evaluator &evaluator,
                           clip::ClipModel &model, const std::vector<GoalSpec> &goals, const EvaluationResult &metrics,
                           ProgressReporter &progress)
{
    const SplitEmbeddings &e = evaluator.embed(model, progress);
    const data::Dataset &ds = evaluator.dataset();
    const std::string split(data::splitName(evaluator.split()));

    json images = json::array();
    for (std::size_t r = 0; r < e.imageIds.size(); ++r) {
        const auto &im = ds.images[std::size_t(e.imageIds[r])];
        json classes = json::array();
        for (int k : im.categories)
            classes.push_back(className(ds, k));
        images.push_back({{"row", r},
                          {"image", e.imageIds[r]},
                          {"path", im.path},
                          {"class", className(ds, im.label)},
                          {"classes", classes},
                          {"split", std::string(data::splitName(im.split))}});
    }
    json captions = json::array();
    for (std::size_t r = 0; r < e.captionIds.size(); ++r) {
        const auto &c = ds.captions[std::size_t(e.captionIds[r])];
        captions.push_back({{"row", r},
                            {"caption", e.captionIds[r]},
                            {"text", c.text},
                            {"image_row", e.captionColumn[r]},
                            {"class", className(ds, evaluator.captionClass(e.captionIds[r]))},
                            {"poisoned", c.poisoned}});
    }
    json goalList = json::array();
    for (const auto &spec : goals) {
        const ResolvedGoal g = evaluator.resolve(model, spec, progress);
        json j = {{"name", g.name},
                  {"source", spec.sourceClass},
                  {"targets", spec.targetClasses},
                  {"target_image_row", g.targetImageColumn},
                  {"target_image", spec.targetImage},
                  {"query_split", std::string(data::splitName(g.querySplit))},
                  {"target_rows", g.targetColumns},
                  {"baseline_rows", g.baselineRows},
                  {"baseline_candidates", g.baselineCandidates.size()}};
        if (g.querySplit == evaluator.split()) {
            j["query_rows"] = g.queryRows;
        } else {
            // Those captions are not in captions.npy; the goal's attack numbers cannot be
            // recomputed from this record (its baseline can).
            j["query_rows"] = nullptr;
            j["query_count"] = g.queryRows.size();
        }
        goalList.push_back(std::move(j));
    }
    json index = {{"format", "poisonlab-evaluation-record"},
                  {"version", 1},
                  {"model", modelName},
                  {"split", split},
                  {"dataset", ds.name},
                  {"classes", ds.classes},
                  {"dim", e.images.size(1)},
                  {"images", std::move(images)},
                  {"captions", std::move(captions)},
                  {"goals", std::move(goalList)},
                  {"eval_options", evaluator.options().toJson()}};
    writeMatrix(dir / "images.npy", e.images);
    writeMatrix(dir / "captions.npy", e.captions);
    writeJsonAtomically(dir / "index.json", index, -1);
    EvaluationResult m = metrics;
    for (const char *key : {"type", "model", "epoch"})
        m.extra.erase(key);
    writeJsonAtomically(dir / "metrics.json", m.toJson());
}

EvaluationRecord EvaluationRecord::load(const fs::path &dir)
{
    if (!fs::is_directory(dir))
        throw Error(dir, "is missing: the run has no evaluation record of that model (it did not evaluate it, or "
                         "it was made before runs kept records; run it again)");
    EvaluationRecord r;
    r.dir = dir;
    const fs::path indexPath = dir / "index.json";
    for (const char *name : {"index.json", "images.npy", "captions.npy"})
        if (!fs::is_regular_file(dir / name))
            throw Error(dir / name, "is missing from the evaluation record");
    r.index = readJsonFile(indexPath);
    EvaluationRecordIndex index = EvaluationRecordIndex::fromJson(r.index, indexPath, dir.filename().string());
    r.model = index.model;
    r.images = readMatrix(dir / "images.npy");
    r.captions = readMatrix(dir / "captions.npy");
    if (std::int64_t(index.images) != r.images.size(0))
        throw Error(dir / "images.npy", "has " + std::to_string(r.images.size(0)) + " rows but index.json lists " +
                                            std::to_string(index.images) + " images");
    if (std::int64_t(index.captions) != r.captions.size(0))
        throw Error(dir / "captions.npy", "has " + std::to_string(r.captions.size(0)) + " rows but index.json lists " +
                                              std::to_string(index.captions) + " captions");
    if (r.images.size(1) != r.captions.size(1))
        throw Error(dir / "captions.npy", "has dimension " + std::to_string(r.captions.size(1)) +
                                              " but images.npy has " + std::to_string(r.images.size(1)));
    r.classes = std::move(index.classes);
    r.imageClass = std::move(index.imageClass);
    r.captionClass = std::move(index.captionClass);
    r.captionImageRow = std::move(index.captionImageRow);
    r.captionPoisoned = std::move(index.captionPoisoned);
    r.ties = index.ties;
    if (fs::is_regular_file(dir / "metrics.json"))
        r.metrics = readJsonFile(dir / "metrics.json");
    return r;
}

} // namespace poisonlab::eval
