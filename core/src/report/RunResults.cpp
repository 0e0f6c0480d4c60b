#include "poisonlab/core/report/RunResults.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <algorithm>

namespace poisonlab::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char *const kAnalyzeHint = "run `poisonlab-cli analyze RUN_DIR`";
const char *const kDefenseHint = "written by the defenses: the config's \"defenses\" or `poisonlab-cli defend RUN_DIR`";

bool isEvaluation(const json &j)
{
    return j.is_object() && (j.contains("utility") || j.contains("attacks"));
}

} // namespace

std::string ReportProblem::text() const
{
    std::string t = file.empty() ? message : file.string() + ": " + message;
    if (!hint.empty())
        t += " (" + hint + ")";
    return t;
}

std::string paperAttackName(const std::string &plugin)
{
    if (plugin == "attack-single-target-image")
        return "Attack I";
    if (plugin == "attack-single-target-label")
        return "Attack II";
    if (plugin == "attack-multi-target-label")
        return "Attack III";
    if (plugin == "attack-similarity-aware")
        return "similarity-aware attack";
    return plugin.empty() ? "attack" : plugin;
}

RunResults RunResults::load(const fs::path &dir)
{
    RunResults r;
    const experiment::RunDirectory run = experiment::RunDirectory::open(dir); // names dir / run.json
    r.dir = run.path();
    r.manifest = run.manifest();
    std::error_code ec;
    auto optional = [&](const fs::path &file, const std::string &hint, bool listMissing = true) -> json {
        if (!fs::exists(file, ec)) {
            if (listMissing)
                r.problems.push_back({file, "missing", hint});
            return nullptr;
        }
        try {
            return readJsonFile(file);
        } catch (const Error &e) {
            r.problems.push_back({{}, e.what(), hint});
            return nullptr;
        }
    };
    r.config = optional(run.configPath(), "the run was not started by `poisonlab-cli run`");
    r.metrics = run.metrics();

    const fs::path finalPath = run.resultsDir() / "final.json";
    if (fs::exists(finalPath, ec)) {
        r.final = readJsonFile(finalPath); // corrupt: the error names file, line and column
        if (!r.final.is_object())
            throw Error(finalPath, "is not a JSON object");
        if (isEvaluation(r.final.value("evaluation", json()))) {
            r.evaluation = r.final["evaluation"];
            r.evaluationSource = finalPath.string();
        }
        if (isEvaluation(r.final.value("initial_evaluation", json())))
            r.initialEvaluation = r.final["initial_evaluation"];
        if (r.final.value("name", r.manifest.name) != r.manifest.name)
            r.problems.push_back({finalPath,
                                  "names run \"" + r.final.value("name", "") + "\" but run.json names \"" +
                                      r.manifest.name + "\": the files come from different runs",
                                  ""});
    }
    // Without final.json (a cancelled or failed run), the last evaluation in metrics.jsonl.
    int lastEpoch = -1;
    for (const auto &m : r.metrics) {
        const std::string type = m.value("type", "");
        if (type == "evaluation" && m.value("model", "") == "initial") {
            if (r.initialEvaluation.is_null())
                r.initialEvaluation = m;
        } else if (r.evaluation.is_null() || r.evaluationSource != finalPath.string()) {
            const json *e =
                type == "evaluation" ? &m : (type == "epoch" && m.contains("evaluation") ? &m["evaluation"] : nullptr);
            if (e && isEvaluation(*e) && m.value("epoch", 0) >= lastEpoch) {
                lastEpoch = m.value("epoch", 0);
                r.evaluation = *e;
                r.evaluationSource = run.metricsPath().string();
            }
        }
    }
    if (r.evaluation.is_null()) {
        if (!fs::exists(finalPath, ec))
            throw Error(finalPath, "missing, and metrics.jsonl holds no evaluation either: run \"" + r.manifest.name +
                                       "\" (status " + r.manifest.status + ") has no results to report yet");
        throw Error(finalPath, "holds no \"evaluation\" (with \"utility\" or \"attacks\")");
    }
    if (r.final.is_null())
        r.notes.push_back("results/final.json is missing (run status: " + r.manifest.status +
                          "); the tables use the last evaluation in metrics.jsonl (epoch " + std::to_string(lastEpoch) +
                          ")");

    const fs::path poisonPath = run.poisonDir() / "manifest.json";
    if (fs::exists(poisonPath, ec)) {
        r.poison = optional(poisonPath, "");
    } else if (r.final.is_object() && r.final.value("poison", json()).is_object()) {
        r.poison = r.final["poison"];
    } else if (r.config.is_object() && r.config.value("attack", json()).is_object()) {
        r.problems.push_back({poisonPath, "missing although config.json names an attack", "rerun the experiment"});
    }

    for (const char *name :
         {"embedding_shift", "distance_density", "projection_pca", "projection_tsne", "minrank_grid"}) {
        json j = optional(run.resultsDir() / "analysis" / (std::string(name) + ".json"), kAnalyzeHint);
        if (!j.is_null())
            r.analysis[name] = std::move(j);
    }
    for (const char *name : {"prefilter", "posttrain"}) {
        json j = optional(run.resultsDir() / "defense" / (std::string(name) + ".json"), kDefenseHint);
        if (!j.is_null())
            r.defense[name] = std::move(j);
    }
    if (fs::is_directory(run.resultsDir() / "embeddings", ec))
        for (const auto &entry : fs::directory_iterator(run.resultsDir() / "embeddings", ec))
            if (entry.is_directory())
                r.embeddingModels.push_back(entry.path().filename().string());
    std::sort(r.embeddingModels.begin(), r.embeddingModels.end());

    // Goals the poison manifest names but the evaluation does not measure.
    if (r.poison.is_object() && r.evaluation.contains("attacks") && r.evaluation["attacks"].is_array())
        for (const auto &g : r.poison.value("goals", json::array())) {
            const std::string source = g.value("source", "");
            const bool measured = std::any_of(r.evaluation["attacks"].begin(), r.evaluation["attacks"].end(),
                                              [&](const json &a) { return a.value("source_class", "") == source; });
            if (!source.empty() && !measured)
                r.problems.push_back(
                    {poisonPath,
                     "poisons class \"" + source + "\" but " + r.evaluationSource + " has no attack evaluation for it",
                     "add the goal to the config's evaluation.goals"});
        }
    return r;
}

std::vector<std::pair<int, json>> RunResults::evaluationsByEpoch() const
{
    std::map<int, json> byEpoch;
    if (!initialEvaluation.is_null())
        byEpoch[0] = initialEvaluation;
    for (const auto &m : metrics) {
        const std::string type = m.value("type", "");
        if (type == "epoch" && m.contains("evaluation") && isEvaluation(m["evaluation"]))
            byEpoch[m.value("epoch", 0)] = m["evaluation"];
        else if (type == "evaluation" && m.value("model", "") != "initial" && isEvaluation(m))
            byEpoch[m.value("epoch", 0)] = m;
    }
    return {byEpoch.begin(), byEpoch.end()};
}

std::string RunResults::name() const
{
    return manifest.name.empty() ? dir.filename().string() : manifest.name;
}

std::string RunResults::attackLabel() const
{
    if (!poison.is_object())
        return "clean";
    return paperAttackName(poison.value("attack", ""));
}

std::string RunResults::evaluationTarget() const
{
    std::string split = evaluation.value("split", "");
    std::string dataset;
    if (config.is_object() && config.value("evaluation", json()).is_object()) {
        dataset = config["evaluation"].value("dataset", "");
        if (split.empty())
            split = config["evaluation"].value("split", "");
    }
    if (dataset.empty())
        return split;
    return split.empty() ? dataset : dataset + "/" + split;
}

std::string RunResults::utilityTarget() const
{
    const json gallery = evaluation.is_object() ? evaluation.value("utility_gallery", json()) : json();
    if (!gallery.is_object())
        return evaluationTarget();
    return gallery.value("dataset", "") + "/" + gallery.value("split", "");
}

} // namespace poisonlab::report
