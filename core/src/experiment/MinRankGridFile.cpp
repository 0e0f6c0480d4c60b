#include "poisonlab/core/experiment/MinRankGridFile.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/EvaluationRecord.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::vector<std::optional<double>>> readMatrix(const json &doc, const std::string &key, std::size_t n,
                                                           const fs::path &file)
{
    const json *m = doc.contains(key) ? &doc.at(key) : nullptr;
    if (!m || !m->is_array() || m->size() != n)
        throw Error(file, "has no \"" + key + "\" matrix of " + std::to_string(n) + " rows (one per class)");
    std::vector<std::vector<std::optional<double>>> out;
    for (const json &row : *m) {
        if (!row.is_array() || row.size() != n)
            throw Error(file, "has a \"" + key + "\" row that is not " + std::to_string(n) + " cells long");
        auto &r = out.emplace_back();
        for (const json &cell : row) {
            if (cell.is_null())
                r.emplace_back();
            else if (cell.is_number())
                r.emplace_back(cell.get<double>());
            else
                throw Error(file, "has a \"" + key + "\" cell that is neither a number nor null: " + cell.dump());
        }
    }
    return out;
}

std::string hitKey(const json &doc, const fs::path &file, int &k)
{
    if (doc.contains("hit_k") && doc["hit_k"].is_number_integer()) {
        k = doc["hit_k"].get<int>();
        return "hit@" + std::to_string(k);
    }
    for (const auto &[key, value] : doc.items())
        if (key.rfind("hit@", 0) == 0) {
            try {
                k = std::stoi(key.substr(4));
            } catch (const std::exception &) {
                throw Error(file, "has a key \"" + key + "\" that names no K");
            }
            return key;
        }
    throw Error(file, "has no \"hit@<K>\" matrix");
}

} // namespace

fs::path minRankGridPath(const fs::path &runDir)
{
    return runDir / "results" / "analysis" / "minrank_grid.json";
}

analysis::MinRankGrid readMinRankGrid(const fs::path &file)
{
    const json doc = readJsonFile(file);
    if (!doc.is_object() || !doc.contains("classes") || !doc["classes"].is_array())
        throw Error(file, "is not a MinRank grid (no \"classes\" list)");
    analysis::MinRankGrid g;
    try {
        g.classes = doc["classes"].get<std::vector<std::string>>();
        if (doc.contains("queries"))
            g.queries = doc["queries"].get<std::vector<std::int64_t>>();
        if (doc.contains("targets"))
            g.targets = doc["targets"].get<std::vector<std::int64_t>>();
        if (doc.contains("ties")) {
            const auto ties = eval::parseTies(doc["ties"].get<std::string>());
            if (!ties)
                throw Error(file, "has \"ties\": " + doc["ties"].dump() + "; it must be " + eval::kTiesChoices);
            g.ties = *ties;
        }
    } catch (const json::exception &e) {
        throw Error(file, std::string("has a list of the wrong shape: ") + e.what());
    }
    const std::size_t n = g.classes.size();
    g.minRankMean = readMatrix(doc, "minrank_mean", n, file);
    const std::string key = hitKey(doc, file, g.hitK);
    g.hitAtK = readMatrix(doc, key, n, file);
    return g;
}

analysis::MinRankGrid computeMinRankGridFile(const fs::path &runDir, const std::string &model,
                                             ProgressReporter &progress)
{
    progress.report({"minrank-grid", 0, 3, "loading the evaluation record", {}});
    const eval::EvaluationRecord record = eval::EvaluationRecord::load(eval::evaluationRecordDir(runDir, model));
    progress.throwIfCancelled();
    progress.report({"minrank-grid", 1, 3, "ranking every class pair", {}});
    const torch::Tensor sims = record.captions.matmul(record.images.t()).contiguous();
    eval::SimilarityView view{sims.data_ptr<float>(), sims.size(0), sims.size(1)};
    analysis::MinRankGrid grid =
        analysis::minRankGrid(view, record.captionClass, record.imageClass, record.classes, 10, record.ties);
    progress.throwIfCancelled(); // the last point where a cancel leaves nothing behind
    progress.report({"minrank-grid", 2, 3, "writing minrank_grid.json", {}});
    json doc = grid.toJson();
    doc["model"] = model;
    writeJsonAtomically(minRankGridPath(runDir), doc, -1);
    progress.report({"minrank-grid", 3, 3, "done", {}});
    return grid;
}

} // namespace poisonlab::experiment
