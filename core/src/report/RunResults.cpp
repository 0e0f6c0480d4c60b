#include "poisonlab/core/report/RunResults.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/MetricsLog.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <algorithm>

namespace poisonlab::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char *const kAnalyzeHint = "run `poisonlab-cli analyze RUN_DIR`";
const char *const kDefenseHint = "written by the defenses: the config's \"defenses\" or `poisonlab-cli defend RUN_DIR`";

using eval::EvaluationResult;

/// The string at `key` of an object read from a file; empty when absent or not a string.
std::string textAt(const json &j, const char *key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

bool isEvaluation(const json &j)
{
    return EvaluationResult::isEvaluation(j);
}

/// A metrics.jsonl evaluation: the epoch record's "evaluation", or an evaluation record itself.
const json *evaluationIn(const json &m)
{
    const std::string type = m.value("type", "");
    const json *e =
        type == "evaluation" ? &m : (type == "epoch" && m.contains("evaluation") ? &m["evaluation"] : nullptr);
    return e && isEvaluation(*e) ? e : nullptr;
}

/// The evaluation without a metrics.jsonl record's own keys.
EvaluationResult parseRecord(const json &j)
{
    EvaluationResult e = EvaluationResult::fromJson(j);
    for (const char *key : {"type", "model", "epoch"})
        e.extra.erase(key);
    return e;
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

namespace {

/// An optional input: null, and a ReportProblem, when it is missing (if `listMissing`) or unreadable.
json readOptional(RunResults &r, const fs::path &file, const std::string &hint, bool listMissing = true)
{
    std::error_code ec;
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
}

/// results/final.json: its evaluation (a malformed one is an Error) and the starting model's.
void readFinal(RunResults &r, const fs::path &finalPath)
{
    r.final = readJsonFile(finalPath); // corrupt: the error names file, line and column
    if (!r.final.is_object())
        throw Error(finalPath, "is not a JSON object");
    if (isEvaluation(r.final.value("evaluation", json()))) {
        try {
            r.evaluation = EvaluationResult::fromJson(r.final["evaluation"]);
        } catch (const Error &e) {
            throw Error(finalPath, std::string("\"evaluation\": ") + e.what());
        }
        r.evaluationSource = finalPath.string();
    }
    if (isEvaluation(r.final.value("initial_evaluation", json())))
        try {
            r.initialEvaluation = parseRecord(r.final["initial_evaluation"]);
        } catch (const Error &e) {
            r.problems.push_back({finalPath, std::string("\"initial_evaluation\": ") + e.what(), ""});
        }
    if (const std::string name = textAt(r.final, "name"); !name.empty() && name != r.manifest.name)
        r.problems.push_back({finalPath,
                              "names run \"" + name + "\" but run.json names \"" + r.manifest.name +
                                  "\": the files come from different runs",
                              ""});
}

/// The starting model's evaluation from metrics.jsonl when final.json had none, and without
/// final.json (a cancelled or failed run) the last evaluation there. Returns that one's epoch.
int readMetricsEvaluations(RunResults &r, const fs::path &finalPath, const fs::path &metricsPath)
{
    int lastEpoch = -1;
    for (const auto &m : r.metrics) {
        const json *e = evaluationIn(m);
        const bool initial = m.value("type", "") == "evaluation" && m.value("model", "") == "initial";
        const bool wanted = initial ? !r.initialEvaluation
                                    : r.evaluationSource != finalPath.string() && m.value("epoch", 0) >= lastEpoch;
        if (!e || !wanted)
            continue;
        try {
            if (initial) {
                r.initialEvaluation = parseRecord(*e);
                continue;
            }
            r.evaluation = parseRecord(*e);
            lastEpoch = m.value("epoch", 0);
            r.evaluationSource = metricsPath.string();
        } catch (const Error &err) {
            r.problems.push_back({metricsPath, std::string("a malformed evaluation record: ") + err.what(), ""});
        }
    }
    return lastEpoch;
}

/// poison/manifest.json, else final.json's "poison"; missing although the config names an attack: a problem.
void readPoison(RunResults &r, const fs::path &poisonPath)
{
    std::error_code ec;
    fs::path source = poisonPath;
    if (fs::exists(poisonPath, ec)) {
        r.poison = readOptional(r, poisonPath, "");
    } else if (r.final.is_object() && r.final.value("poison", json()).is_object()) {
        r.poison = r.final["poison"];
        source = r.dir / "results" / "final.json";
    } else if (r.config.is_object() && r.config.value("attack", json()).is_object()) {
        r.problems.push_back({poisonPath, "missing although config.json names an attack", "rerun the experiment"});
    }
    if (!r.poison.is_object())
        return;
    json manifest = r.poison;
    if (!manifest.contains("pairs"))
        manifest["pairs"] = json::array(); // final.json keeps the manifest without its pairs
    try {
        r.poisonManifest = attack::PoisonManifest::fromJson(manifest, source);
    } catch (const Error &e) {
        r.problems.push_back({{}, e.what(), ""});
    }
}

/// results/analysis/*.json, results/defense/*.json and the evaluation records' folders.
void readResultFiles(RunResults &r, const fs::path &resultsDir)
{
    for (const char *name :
         {"embedding_shift", "distance_density", "projection_pca", "projection_tsne", "minrank_grid"}) {
        json j = readOptional(r, resultsDir / "analysis" / (std::string(name) + ".json"), kAnalyzeHint);
        if (!j.is_null())
            r.analysis[name] = std::move(j);
    }
    for (const char *name : {"prefilter", "posttrain"}) {
        const fs::path file = resultsDir / "defense" / (std::string(name) + ".json");
        json j = readOptional(r, file, kDefenseHint);
        if (std::string(name) == "posttrain" && !j.is_null())
            try {
                postTrainingRuns(j);
            } catch (const Error &e) {
                r.problems.push_back({file, std::string("malformed: ") + e.what(), kDefenseHint});
                j = nullptr;
            }
        if (!j.is_null())
            r.defense[name] = std::move(j);
    }
    std::error_code ec;
    if (fs::is_directory(resultsDir / "embeddings", ec))
        for (const auto &entry : fs::directory_iterator(resultsDir / "embeddings", ec))
            if (entry.is_directory())
                r.embeddingModels.push_back(entry.path().filename().string());
    std::sort(r.embeddingModels.begin(), r.embeddingModels.end());
}

/// Goals the poison manifest names but the evaluation does not measure.
void listUnmeasuredGoals(RunResults &r, const fs::path &poisonPath)
{
    if (!r.poisonManifest)
        return;
    for (const auto &g : r.poisonManifest->goals) {
        const std::string &source = g.source;
        const bool measured = std::any_of(r.evaluation.attacks.begin(), r.evaluation.attacks.end(),
                                          [&](const eval::AttackFigures &a) { return a.sourceClass == source; });
        if (!source.empty() && !measured)
            r.problems.push_back(
                {poisonPath,
                 "poisons class \"" + source + "\" but " + r.evaluationSource + " has no attack evaluation for it",
                 "add the goal to the config's evaluation.goals"});
    }
}

} // namespace

RunResults RunResults::load(const fs::path &dir)
{
    RunResults r;
    const experiment::RunDirectory run = experiment::RunDirectory::open(dir); // names dir / run.json
    r.dir = run.path();
    r.manifest = run.manifest();
    r.config = readOptional(r, run.configPath(), "the run was not started by `poisonlab-cli run`");
    const experiment::MetricsLog metrics = experiment::MetricsLog::read(run.metricsPath());
    r.metrics = metrics.records;
    for (const std::string &line : metrics.skipped)
        r.problems.push_back({run.metricsPath(), line + "; left out", ""});

    const fs::path finalPath = run.resultsDir() / "final.json";
    std::error_code ec;
    const bool haveFinal = fs::exists(finalPath, ec);
    if (haveFinal)
        readFinal(r, finalPath);
    const int lastEpoch = readMetricsEvaluations(r, finalPath, run.metricsPath());
    if (r.evaluationSource.empty()) {
        if (!haveFinal)
            throw Error(finalPath, "missing, and metrics.jsonl holds no evaluation either: run \"" + r.manifest.name +
                                       "\" (status " + r.manifest.status + ") has no results to report yet");
        throw Error(finalPath, "holds no \"evaluation\" (with \"utility\" or \"attacks\")");
    }
    if (r.final.is_null())
        r.notes.push_back("results/final.json is missing (run status: " + r.manifest.status +
                          "); the tables use the last evaluation in metrics.jsonl (epoch " + std::to_string(lastEpoch) +
                          ")");
    const fs::path poisonPath = run.poisonDir() / "manifest.json";
    readPoison(r, poisonPath);
    readResultFiles(r, run.resultsDir());
    listUnmeasuredGoals(r, poisonPath);
    return r;
}

std::vector<std::pair<int, EvaluationResult>> RunResults::evaluationsByEpoch() const
{
    std::map<int, EvaluationResult> byEpoch;
    if (initialEvaluation)
        byEpoch[0] = *initialEvaluation;
    for (const auto &m : metrics)
        if (const json *e = evaluationIn(m);
            e && !(m.value("type", "") == "evaluation" && m.value("model", "") == "initial"))
            try {
                byEpoch[m.value("epoch", 0)] = parseRecord(*e);
            } catch (const Error &) {
                // listed by load()
            }
    return {byEpoch.begin(), byEpoch.end()};
}

std::vector<EpochRecord> RunResults::epochRecords() const
{
    std::map<int, EpochRecord> byEpoch;
    for (auto &[epoch, evaluation] : evaluationsByEpoch()) {
        byEpoch[epoch].epoch = epoch;
        byEpoch[epoch].evaluation = std::move(evaluation);
    }
    auto number = [](const json &m, const char *key) {
        return m.contains(key) && m[key].is_number() ? m[key].get<double>() : eval::kAbsent;
    };
    for (const auto &m : metrics) {
        if (m.value("type", "") != "epoch" || !m.contains("epoch") || !m["epoch"].is_number_integer())
            continue;
        EpochRecord &e = byEpoch[m["epoch"].get<int>()];
        e.epoch = m["epoch"].get<int>();
        if (m.contains("step") && m["step"].is_number_integer())
            e.step = m["step"].get<std::int64_t>();
        e.meanLoss = number(m, "mean_loss");
        e.learningRate = number(m, "lr");
        e.seconds = number(m, "seconds");
    }
    std::vector<EpochRecord> out;
    for (auto &[epoch, record] : byEpoch)
        out.push_back(std::move(record));
    return out;
}

std::vector<PostTrainingRun> postTrainingRuns(const json &posttrain)
{
    std::vector<PostTrainingRun> out;
    if (!posttrain.is_object() || !posttrain.contains("runs") || !posttrain["runs"].is_array())
        return out;
    const json &runs = posttrain["runs"];
    for (std::size_t i = 0; i < runs.size(); ++i) {
        const std::string where = "\"runs\"[" + std::to_string(i) + "]";
        const json &r = runs[i];
        if (!r.is_object())
            throw Error(where + " must be a JSON object, got " + r.dump());
        PostTrainingRun run;
        if (r.contains("learning_rate") && r["learning_rate"].is_number())
            run.learningRate = r["learning_rate"].get<double>();
        const json evaluations = r.value("evaluations", json::array());
        if (!evaluations.is_array())
            throw Error(where + ".\"evaluations\" must be a list, got " + evaluations.dump());
        for (std::size_t k = 0; k < evaluations.size(); ++k) {
            const json &e = evaluations[k];
            const std::string at = where + ".\"evaluations\"[" + std::to_string(k) + "]";
            if (!isEvaluation(e))
                throw Error(at + " is not an evaluation (no \"utility\" or \"attacks\"): " + e.dump());
            PostTrainingRun::Epoch epoch;
            if (e.contains("epoch") && e["epoch"].is_number_integer())
                epoch.epoch = e["epoch"].get<int>();
            try {
                epoch.evaluation = parseRecord(e);
            } catch (const Error &err) {
                throw Error(at + ": " + err.what());
            }
            run.evaluations.push_back(std::move(epoch));
        }
        out.push_back(std::move(run));
    }
    return out;
}

std::string RunResults::name() const
{
    return manifest.name.empty() ? dir.filename().string() : manifest.name;
}

std::string RunResults::attackLabel() const
{
    if (!poison.is_object())
        return "clean";
    return paperAttackName(textAt(poison, "attack"));
}

std::string RunResults::evaluationTarget() const
{
    std::string split = evaluation.split;
    std::string dataset;
    if (config.is_object() && config.contains("evaluation")) {
        dataset = textAt(config["evaluation"], "dataset");
        if (split.empty())
            split = textAt(config["evaluation"], "split");
    }
    if (dataset.empty())
        return split;
    return split.empty() ? dataset : dataset + "/" + split;
}

std::string RunResults::utilityTarget() const
{
    if (!evaluation.utilityGallery)
        return evaluationTarget();
    return evaluation.utilityGallery->dataset + "/" + evaluation.utilityGallery->split;
}

} // namespace poisonlab::report
