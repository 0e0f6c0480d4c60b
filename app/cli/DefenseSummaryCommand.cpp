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

/// The summary of the first goal: {"goal", "hit@10", "baseline_hit@10"}, null without goals.
json firstHit10(const eval::EvaluationResult &evaluation)
{
    const eval::AttackFigures *a = evaluation.firstAttack();
    if (!a)
        return nullptr;
    return {
        {"goal", a->name}, {"hit@10", orZero(a->attack.hitAt(10))}, {"baseline_hit@10", orZero(a->baseline.hitAt(10))}};
}

json summarise(const fs::path &dir)
{
    const experiment::RunDirectory run = experiment::RunDirectory::open(dir);
    const json config = run.config();
    const json final = optionalFile(run.resultsDir() / "final.json");
    const json prefilter = optionalFile(run.resultsDir() / "defense" / "prefilter.json");
    const json posttrain = optionalFile(run.resultsDir() / "defense" / "posttrain.json");
    json s = {
        {"run", run.path().string()},
        {"name", run.manifest().name},
        {"status", run.manifest().status},
        {"attack", config.contains("attack") && config["attack"].is_object() ? config["attack"]["plugin"] : json()}};
    if (final.is_object()) {
        const json evaluation = final.value("evaluation", json());
        const eval::EvaluationResult e = eval::EvaluationResult::isEvaluation(evaluation)
                                             ? eval::EvaluationResult::fromJson(evaluation)
                                             : eval::EvaluationResult();
        s["final"] = firstHit10(e);
        s["r_mean"] = orZero(e.utility.rMean);
        if (final["poison"].is_object())
            s["poisoned_pairs"] = final["poison"].value("poisoned_pairs", 0LL);
    }
    if (prefilter.is_object()) {
        const json &c = prefilter["counts"];
        const long long poisoned = c.value("poisoned", 0LL);
        s["prefilter"] = {{"threshold", prefilter["threshold"]},
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
    if (posttrain.is_object()) {
        json runs = json::array();
        for (const auto &r : report::postTrainingRuns(posttrain)) {
            json curve = json::array();
            for (const auto &e : r.evaluations)
                curve.push_back({{"epoch", e.epoch ? json(*e.epoch) : json()},
                                 {"r_mean", orZero(e.evaluation.utility.rMean)},
                                 {"attack", firstHit10(e.evaluation)}});
            runs.push_back(
                {{"learning_rate", std::isnan(r.learningRate) ? json() : json(r.learningRate)}, {"curve", curve}});
        }
        s["posttrain"] = {{"dataset", posttrain["dataset"]}, {"split", posttrain["split"]}, {"runs", runs}};
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
        json all = json::array();
        try {
            for (const auto &d : dirs)
                all.push_back(summarise(d));
            if (!out.empty())
                writeJsonAtomically(out, {{"runs", all}});
        } catch (const Error &e) {
            streams.err << "poisonlab-cli defense-summary: " << e.what() << "\n";
            return 2;
        }
        if (asJson) {
            streams.out << json{{"runs", all}}.dump(2) << "\n";
            return 0;
        }
        char line[512];
        std::snprintf(line, sizeof line, "%-24s %-28s %8s %8s %9s %8s %6s %6s %6s %6s %8s %8s %7s\n", "run", "attack",
                      "poisoned", "removed", "surviving", "clean-rm", "P", "R", "F1", "AUC", "Hit@10", "baseline",
                      "R_mean");
        streams.out << line;
        for (const auto &s : all) {
            const json p = s.value("prefilter", json::object());
            const json c = p.value("counts", json::object());
            const json f = s.value("final", json());
            std::snprintf(
                line, sizeof line, "%-24s %-28s %8s %8s %9s %8s %6s %6s %6s %6s %8s %8s %7s\n",
                s.value("name", "").c_str(), s["attack"].is_string() ? s["attack"].get<std::string>().c_str() : "-",
                num(s.value("poisoned_pairs", json()), "%.0f").c_str(),
                num(c.value("removed_poisoned", json()), "%.0f").c_str(),
                num(p.value("surviving_poison_share", json())).c_str(),
                num(c.value("removed_clean", json()), "%.0f").c_str(), num(p.value("precision", json())).c_str(),
                num(p.value("recall", json())).c_str(), num(p.value("f1", json())).c_str(),
                num(p.value("auc", json())).c_str(), num(f.is_object() ? f["hit@10"] : json()).c_str(),
                num(f.is_object() ? f["baseline_hit@10"] : json()).c_str(),
                num(s.value("r_mean", json()), "%.4f").c_str());
            streams.out << line;
        }
        for (const auto &s : all) {
            if (!s.contains("posttrain"))
                continue;
            streams.out << "\npost-training (" << s["name"].get<std::string>() << ", clean fine-tuning on "
                        << s["posttrain"]["dataset"].get<std::string>() << "/"
                        << s["posttrain"]["split"].get<std::string>() << ")\n";
            for (const auto &r : s["posttrain"]["runs"])
                for (const auto &e : r["curve"]) {
                    std::snprintf(line, sizeof line, "  lr %-8g epoch %-3d R_mean %.4f  Hit@10 %s\n",
                                  r["learning_rate"].get<double>(), e["epoch"].get<int>(), e["r_mean"].get<double>(),
                                  num(e["attack"].is_object() ? e["attack"]["hit@10"] : json()).c_str());
                    streams.out << line;
                }
        }
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::DefenseSummaryCommand;
POISONLAB_REGISTER_CLI_COMMAND(DefenseSummaryCommand)
