// `poisonlab-cli defense-summary RUN_DIR...`: the defenses' numbers of several runs side by side
// (e.g. the pre-training filter against Attack II and against the similarity-aware attack).
#include "CliParsing.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/report/RunResults.h"

#include <cmath>
#include <cstdio>
#include <optional>
#include <ostream>
#include <vector>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json optionalFile(const fs::path &path)
{
    return fs::is_regular_file(path) ? readJsonFile(path) : json();
}

double orZero(double v)
{
    return std::isnan(v) ? 0.0 : v;
}

/// The first goal's Hit@10 and its baseline's (0 when not measured).
struct GoalHit10 {
    std::string goal;
    double hit10 = 0, baselineHit10 = 0;

    json toJson() const { return {{"goal", goal}, {"hit@10", hit10}, {"baseline_hit@10", baselineHit10}}; }
};

std::optional<GoalHit10> firstHit10(const eval::EvaluationResult &evaluation)
{
    const eval::AttackFigures *a = evaluation.firstAttack();
    if (!a)
        return std::nullopt;
    return GoalHit10{a->name, orZero(a->attack.hitAt(10)), orZero(a->baseline.hitAt(10))};
}

json toJson(const std::optional<GoalHit10> &hit)
{
    return hit ? hit->toJson() : json();
}

/// One run's line of the summary (and its post-training curves); toJson() is the --json form.
struct RunSummary {
    std::string run, name, status;
    json attack; ///< the attack plugin, null for a clean run
    bool finished = false;
    std::optional<GoalHit10> final;
    double rMean = 0;
    std::optional<long long> poisonedPairs;
    json prefilter; ///< detection numbers, null without a pre-training defense
    struct Point {
        std::optional<int> epoch;
        double rMean = 0;
        std::optional<GoalHit10> attack;
    };
    struct Curve {
        double learningRate = eval::kAbsent;
        std::vector<Point> points;
    };
    bool hasPosttrain = false;
    json posttrainDataset, posttrainSplit;
    std::vector<Curve> posttrain;

    json toJson() const
    {
        json s = {{"run", run}, {"name", name}, {"status", status}, {"attack", attack}};
        if (finished) {
            s["final"] = cli::toJson(final);
            s["r_mean"] = rMean;
            if (poisonedPairs)
                s["poisoned_pairs"] = *poisonedPairs;
        }
        if (!prefilter.is_null())
            s["prefilter"] = prefilter;
        if (hasPosttrain) {
            json runs = json::array();
            for (const auto &c : posttrain) {
                json curve = json::array();
                for (const auto &p : c.points)
                    curve.push_back({{"epoch", p.epoch ? json(*p.epoch) : json()},
                                     {"r_mean", p.rMean},
                                     {"attack", cli::toJson(p.attack)}});
                runs.push_back(
                    {{"learning_rate", std::isnan(c.learningRate) ? json() : json(c.learningRate)}, {"curve", curve}});
            }
            s["posttrain"] = {{"dataset", posttrainDataset}, {"split", posttrainSplit}, {"runs", runs}};
        }
        return s;
    }
};

json prefilterSummary(const json &prefilter)
{
    const json &c = prefilter["counts"];
    const long long poisoned = c.value("poisoned", 0LL);
    return {{"threshold", prefilter["threshold"]},
            {"scoring_model", prefilter["scoring_model"]},
            {"counts", c},
            {"removed_poison_share",
             poisoned > 0 ? json(double(c.value("removed_poisoned", 0LL)) / double(poisoned)) : json()},
            {"surviving_poison_share", prefilter["surviving_poison_share"]},
            {"removed_clean_share", prefilter["removed_clean_share"]},
            {"precision", prefilter["precision"]},
            {"recall", prefilter["recall"]},
            {"f1", prefilter["f1"]},
            {"auc", prefilter["auc"]}};
}

RunSummary summarise(const fs::path &dir)
{
    const experiment::RunDirectory run = experiment::RunDirectory::open(dir);
    const json config = run.config();
    const json final = optionalFile(run.resultsDir() / "final.json");
    const json prefilter = optionalFile(run.resultsDir() / "defense" / "prefilter.json");
    const json posttrain = optionalFile(run.resultsDir() / "defense" / "posttrain.json");
    RunSummary s;
    s.run = run.path().string();
    s.name = run.manifest().name;
    s.status = run.manifest().status;
    s.attack = config.contains("attack") && config["attack"].is_object() ? config["attack"]["plugin"] : json();
    if (final.is_object()) {
        const json evaluation = final.value("evaluation", json());
        const eval::EvaluationResult e = eval::EvaluationResult::isEvaluation(evaluation)
                                             ? eval::EvaluationResult::fromJson(evaluation)
                                             : eval::EvaluationResult();
        s.finished = true;
        s.final = firstHit10(e);
        s.rMean = orZero(e.utility.rMean);
        if (final["poison"].is_object())
            s.poisonedPairs = final["poison"].value("poisoned_pairs", 0LL);
    }
    if (prefilter.is_object())
        s.prefilter = prefilterSummary(prefilter);
    if (posttrain.is_object()) {
        s.hasPosttrain = true;
        s.posttrainDataset = posttrain["dataset"];
        s.posttrainSplit = posttrain["split"];
        for (const auto &r : report::postTrainingRuns(posttrain)) {
            RunSummary::Curve curve{r.learningRate, {}};
            for (const auto &e : r.evaluations)
                curve.points.push_back({e.epoch, orZero(e.evaluation.utility.rMean), firstHit10(e.evaluation)});
            s.posttrain.push_back(std::move(curve));
        }
    }
    return s;
}

std::string num(const json &v, const char *format = "%.3f")
{
    if (!v.is_number())
        return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, v.get<double>());
    return buf;
}

/// A number of the summary, "-" when there is none.
template <typename T>
std::string num(const std::optional<T> &v, const char *format = "%.3f")
{
    return v ? num(json(*v), format) : "-";
}

/// The table: one line per run, then each run's post-training curves.
void printTable(std::ostream &out, const std::vector<RunSummary> &all)
{
    char line[512];
    std::snprintf(line, sizeof line, "%-24s %-28s %8s %8s %9s %8s %6s %6s %6s %6s %8s %8s %7s\n", "run", "attack",
                  "poisoned", "removed", "surviving", "clean-rm", "P", "R", "F1", "AUC", "Hit@10", "baseline",
                  "R_mean");
    out << line;
    for (const auto &s : all) {
        const json p = s.prefilter.is_object() ? s.prefilter : json::object();
        const json c = p.value("counts", json::object());
        const auto hit = s.final ? std::optional<double>(s.final->hit10) : std::nullopt;
        const auto baseline = s.final ? std::optional<double>(s.final->baselineHit10) : std::nullopt;
        std::snprintf(line, sizeof line, "%-24s %-28s %8s %8s %9s %8s %6s %6s %6s %6s %8s %8s %7s\n", s.name.c_str(),
                      s.attack.is_string() ? s.attack.get<std::string>().c_str() : "-",
                      num(s.poisonedPairs, "%.0f").c_str(), num(c.value("removed_poisoned", json()), "%.0f").c_str(),
                      num(p.value("surviving_poison_share", json())).c_str(),
                      num(c.value("removed_clean", json()), "%.0f").c_str(), num(p.value("precision", json())).c_str(),
                      num(p.value("recall", json())).c_str(), num(p.value("f1", json())).c_str(),
                      num(p.value("auc", json())).c_str(), num(hit).c_str(), num(baseline).c_str(),
                      num(s.finished ? std::optional<double>(s.rMean) : std::nullopt, "%.4f").c_str());
        out << line;
    }
    for (const auto &s : all) {
        if (!s.hasPosttrain)
            continue;
        out << "\npost-training (" << s.name << ", clean fine-tuning on " << s.posttrainDataset.get<std::string>()
            << "/" << s.posttrainSplit.get<std::string>() << ")\n";
        for (const auto &r : s.posttrain)
            for (const auto &e : r.points) {
                std::snprintf(line, sizeof line, "  lr %-8g epoch %-3d R_mean %.4f  Hit@10 %s\n", r.learningRate,
                              e.epoch.value_or(0), e.rMean,
                              num(e.attack ? std::optional<double>(e.attack->hit10) : std::nullopt).c_str());
                out << line;
            }
    }
}

class DefenseSummaryCommand final : public CliCommand {
public:
    std::string name() const override { return "defense-summary"; }
    std::string summary() const override { return "compare the defenses' results of several runs"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Prints the pre-training filter's detection numbers (how much poison survives it), the final\n"
                     "Hit@10 and utility, and the post-training curves of each RUN_DIR side by side; --json\n"
                     "prints the same as JSON, --out writes it to a file.",
                     "defense-summary");
        std::vector<std::string> dirs;
        std::string out;
        bool asJson = false;
        app.add_option("run_dirs", dirs, "run directories")->required();
        app.add_flag("--json", asJson, "print JSON instead of tables");
        app.add_option("--out", out, "also write the JSON summary to this file");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        std::vector<RunSummary> all;
        json allJson = json::array();
        try {
            for (const auto &d : dirs) {
                all.push_back(summarise(d));
                allJson.push_back(all.back().toJson());
            }
            if (!out.empty())
                writeJsonAtomically(out, {{"runs", allJson}});
        } catch (const Error &e) {
            streams.err << "poisonlab-cli defense-summary: " << e.what() << "\n";
            return 2;
        }
        if (asJson)
            streams.out << json{{"runs", allJson}}.dump(2) << "\n";
        else
            printTable(streams.out, all);
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::DefenseSummaryCommand;
POISONLAB_REGISTER_CLI_COMMAND(DefenseSummaryCommand)
