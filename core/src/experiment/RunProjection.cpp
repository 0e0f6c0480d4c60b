#include "poisonlab/core/experiment/RunProjection.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/analysis/Pca.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <torch/torch.h>

#include <numeric>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// One point per projected row, as analyze writes them (docs/run-directory.md).
json projectedPoints(const eval::EvaluationRecord &r, const torch::Tensor &xy, const std::vector<int> &rows)
{
    const auto nImages = r.images.size(0);
    const auto p = xy.to(torch::kFloat64).contiguous();
    const double *v = p.data_ptr<double>();
    const auto stride = p.size(1);
    json out = json::array();
    for (std::size_t k = 0; k < rows.size(); ++k) {
        const int row = rows[k];
        const bool isImage = row < nImages;
        const int local = isImage ? row : int(row - nImages);
        const int cls = isImage ? r.imageClass[std::size_t(local)] : r.captionClass[std::size_t(local)];
        out.push_back({{"x", v[std::int64_t(k) * stride]},
                       {"y", v[std::int64_t(k) * stride + 1]},
                       {"modality", isImage ? "image" : "caption"},
                       {"row", local},
                       {"class", cls >= 0 ? json(r.classes[std::size_t(cls)]) : json()},
                       {"poisoned", isImage ? false : bool(r.captionPoisoned[std::size_t(local)])}});
    }
    return out;
}

json tsneParams(const analysis::TsneOptions &t)
{
    return t.toJson();
}

} // namespace

fs::path projectionFile(const fs::path &runDir, const std::string &method)
{
    return runDir / "results" / "analysis" / ("projection_" + method + ".json");
}

std::string projectionReferenceLabel(const ProjectionOptions &o)
{
    if (o.referenceRun.empty())
        return {};
    return RunDirectory::open(o.referenceRun).manifest().name + "/" + o.model;
}

bool projectionMatches(const json &doc, const ProjectionOptions &o)
{
    if (!doc.is_object() || doc.value("method", "") != o.method || doc.value("model", "") != o.model)
        return false;
    const json &models = doc.contains("models") ? doc["models"] : json();
    if (!models.is_object() || !models.contains(o.model))
        return false;
    const std::string label = projectionReferenceLabel(o);
    if (!label.empty() && (!doc["reference"].is_string() || doc["reference"] != label || !models.contains(label)))
        return false;
    if (o.method == "tsne") {
        const json &params = doc.contains("params") ? doc["params"] : json();
        if (!params.is_object())
            return false;
        const json wanted = tsneParams(o.tsne); // (items() of a temporary would dangle)
        for (const auto &[key, value] : wanted.items()) {
            if (params.contains(key)) {
                if (params[key] != value)
                    return false;
            } else if (key == "method") {
                // Documents from before Barnes-Hut name no method: they are exact.
                if (value != "exact")
                    return false;
            } else if (key != "angle") { // (only Barnes-Hut has an angle)
                return false;
            }
        }
    }
    return true;
}

std::optional<json> readCachedProjection(const ProjectionOptions &o)
{
    const fs::path file = projectionFile(o.runDir, o.method);
    if (!fs::is_regular_file(file))
        return std::nullopt;
    try {
        json doc = readJsonFile(file);
        if (projectionMatches(doc, o))
            return doc;
    } catch (const std::exception &) {
        // An unreadable cache is recomputed (and replaced), not an error.
    }
    return std::nullopt;
}

json computeProjection(const ProjectionOptions &o, ProgressReporter &progress)
{
    if (o.method != "pca" && o.method != "tsne")
        throw Error("unknown projection method \"" + o.method + "\" (use pca or tsne)");
    const RunDirectory run = RunDirectory::open(o.runDir);
    std::vector<std::pair<std::string, eval::EvaluationRecord>> models;
    progress.report({"project", 0, 0, "loading the evaluation records", {}});
    models.emplace_back(o.model, eval::EvaluationRecord::load(eval::evaluationRecordDir(run.path(), o.model)));
    const std::string label = projectionReferenceLabel(o);
    if (!label.empty())
        models.emplace_back(label, eval::EvaluationRecord::load(eval::evaluationRecordDir(o.referenceRun, o.model)));
    json byModel = json::object();
    json params;
    long long step = 0;
    for (const auto &[name, rec] : models) {
        progress.throwIfCancelled();
        progress.report({"project", step++, static_cast<long long>(models.size()), "projecting " + name, {}});
        const torch::Tensor x = torch::cat({rec.images, rec.captions});
        if (o.method == "pca") {
            const auto p = analysis::pca(x, 2);
            std::vector<int> rows(std::size_t(p.projected.size(0)));
            std::iota(rows.begin(), rows.end(), 0);
            byModel[name] = {{"explained_ratio", p.explainedRatio},
                             {"points", projectedPoints(rec, p.projected, rows)}};
            params = {{"components", 2}, {"fit", "per model, images and captions together"}};
        } else {
            // TsneOptions::method picks exact or Barnes-Hut ("auto": Barnes-Hut beyond 1000 points).
            const auto r = analysis::tsne(x, o.tsne, &progress);
            byModel[name] = {{"run", r.describe()}, {"points", projectedPoints(rec, r.points, r.rows)}};
            params = tsneParams(o.tsne);
            params["sample"] =
                r.sampled ? json{{"input_rows", r.inputRows}, {"kept_rows", r.rows.size()}, {"seed", o.tsne.seed}}
                          : json(nullptr);
        }
    }
    progress.throwIfCancelled();
    return {{"method", o.method},
            {"params", params},
            {"model", o.model},
            {"reference", label.empty() ? json() : json(label)},
            {"models", byModel}};
}

json projectRun(const ProjectionOptions &o, ProgressReporter &progress, bool *fromCache)
{
    if (auto cached = readCachedProjection(o)) {
        if (fromCache)
            *fromCache = true;
        return *cached;
    }
    json doc = computeProjection(o, progress);
    writeJsonAtomically(projectionFile(o.runDir, o.method), doc, -1);
    if (fromCache)
        *fromCache = false;
    return doc;
}

} // namespace poisonlab::experiment
