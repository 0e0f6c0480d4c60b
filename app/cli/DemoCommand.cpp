// `poisonlab-cli demo --data DIR`: the demo job behind `./scripts/run.sh --headless`. Pre-trains
// the small demo CLIP once (cached), fine-tunes it clean and under Attack II sheep->aeroplane on
// Emoji Flickr-PASCAL, evaluates both and prints the paper's comparison.
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Paths.h"
#include "poisonlab/core/experiment/DemoPretraining.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunAnalysis.h"
#include "poisonlab/core/report/ReportBuilder.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

/// $POISONLAB_PRESETS_DIR, the installed share/poisonlab/presets, or the source tree's
/// resources/presets seen from a build folder inside it (build*/bin/).
fs::path presetsDir()
{
    std::vector<fs::path> candidates;
    if (const char *env = std::getenv("POISONLAB_PRESETS_DIR"))
        candidates.emplace_back(env);
    const fs::path exe = executableDir();
    candidates.push_back(exe / "../share/poisonlab/presets");
    candidates.push_back(exe / "../../resources/presets");
    for (const auto &c : candidates) {
        std::error_code ec;
        if (fs::is_regular_file(c / "demo-attack2.json", ec))
            return fs::weakly_canonical(c);
    }
    throw Error("cannot find the preset configs (demo-attack2.json); set POISONLAB_PRESETS_DIR");
}

/// The demo's table: utility R@10 of both models, then the first goal's Hit@K and MinRank on the
/// poisoned model, its baseline and the clean model. A missing number prints as nan.
void printTable(std::ostream &os, const eval::EvaluationResult &clean, const eval::EvaluationResult &poisoned,
                const json &poison)
{
    char line[256];
    auto row = [&](const char *name, double a, double b, const char *fmt) {
        char fa[32], fb[32];
        std::snprintf(fa, sizeof fa, fmt, a);
        std::snprintf(fb, sizeof fb, fmt, b);
        std::snprintf(line, sizeof line, "  %-34s %12s %12s\n", name, fa, fb);
        os << line;
    };
    const eval::RankFigures none;
    const eval::AttackFigures *pa = poisoned.firstAttack(), *ca = clean.firstAttack();
    const eval::RankFigures &ours = pa ? pa->attack : none, &baseline = pa ? pa->baseline : none;
    const eval::RankFigures &before = ca ? ca->attack : none;
    os << "\nEmoji Flickr-PASCAL, Attack II sheep -> aeroplane";
    if (poison.is_object()) {
        std::snprintf(line, sizeof line, " (rate %.3g of sheep %ss; %lld of %lld training pairs, phi = %.3f%%)",
                      poison.value("rate", 0.0), poison.value("unit", "caption").c_str(),
                      poison.value("poisoned_pairs", 0LL), poison.value("training_pairs", 0LL),
                      100.0 * poison.value("phi", 0.0));
        os << line;
    }
    // Ranks count strictly higher scores (optimistic) or every other equal one too (pessimistic).
    const std::string ties = poisoned.ties ? eval::tiesName(*poisoned.ties) : "optimistic";
    std::snprintf(line, sizeof line, "\n\n  %-34s %12s %12s\n", ("Utility (test split, " + ties + " ties)").c_str(),
                  "clean", "poisoned");
    os << line;
    row("text retrieval R@10 (image->text)", clean.utility.textRetrieval.r10, poisoned.utility.textRetrieval.r10,
        "%.3f");
    row("image retrieval R@10 (text->image)", clean.utility.imageRetrieval.r10, poisoned.utility.imageRetrieval.r10,
        "%.3f");
    // Queries whose rank the tie rule decides (duplicated captions): docs/metrics.md, "Ties".
    auto tied = [](const std::optional<std::int64_t> &n) { return n ? double(*n) : eval::kAbsent; };
    row("  images with a tie at their rank", tied(clean.utility.textRetrieval.tied),
        tied(poisoned.utility.textRetrieval.tied), "%.0f");
    row("  captions with a tie at their rank", tied(clean.utility.imageRetrieval.tied),
        tied(poisoned.utility.imageRetrieval.tied), "%.0f");
    os << "\n  Sheep captions -> aeroplane images     poisoned     baseline   (clean model)\n";
    for (int k : {1, 5, 10}) {
        const std::string name = "hit@" + std::to_string(k);
        std::snprintf(line, sizeof line, "  %-34s %12.3f %12.3f   (%.3f)\n", name.c_str(), ours.hitAt(k),
                      baseline.hitAt(k), before.hitAt(k));
        os << line;
    }
    std::snprintf(line, sizeof line, "  %-34s %12.1f %12.1f   (%.1f)\n", "MinRank (mean, 0-based)", ours.minRankMean,
                  baseline.minRankMean, before.minRankMean);
    os << line;
    std::snprintf(line, sizeof line, "  %-34s %12.0f %12.0f   (%.0f)\n", "  queries with a tie at their MinRank",
                  tied(ours.tied), tied(baseline.tied), tied(before.tied));
    os << line;
}

class DemoCommand final : public CliCommand {
public:
    std::string name() const override { return "demo"; }
    std::string summary() const override
    {
        return "the demo experiment: clean vs Attack II (sheep -> aeroplane) fine-tuning of the demo CLIP";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Pre-trains the small demo CLIP on Emoji-Web once (cached in the user data folder), fine-tunes\n"
                     "it clean and under Attack II sheep -> aeroplane on Emoji Flickr-PASCAL (presets demo-clean\n"
                     "and demo-attack2), evaluates both and prints utility and attack metrics side by side.",
                     "demo");
        std::string data, out;
        bool modelOnly = false, lowRate = false;
        app.add_option("--data", data, "folder holding the demo datasets pascal/, coco/ (and web/, coco-large/)")
            ->required();
        app.add_option("--out", out, "where the run directories go (default: DATA/runs)");
        app.add_flag(
            "--model-only", modelOnly,
            "only make sure the pre-trained demo CLIP exists (what the workbench starts from); print its path");
        app.add_flag("--low-rate", lowRate,
                     "the paper-like poison rate: the same 125 poisoned pairs among 21,000 (phi = 0.6%) instead of "
                     "5,500 (presets demo-clean-lowrate and demo-attack2-lowrate; needs DATA/coco-large)");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        const fs::path dataDir = fs::absolute(data);
        std::error_code ec;
        // The low-rate demo's stand-in for Flickr30k is a larger Emoji-COCO of its own, so the quick
        // demo's 600-image sample (and its published numbers) stay as they are.
        const std::vector<std::pair<std::string, std::string>> needed = {
            {"pascal", "--kind pascal"},
            {lowRate ? "coco-large" : "coco", lowRate ? "--kind coco --images 4200" : "--kind coco"}};
        for (const auto &[folder, how] : needed)
            if (!fs::is_directory(dataDir / folder, ec)) {
                streams.err << "poisonlab-cli demo: " << (dataDir / folder).string()
                            << ": not found (make it with `poisonlab-cli demo-data " << how << " --out "
                            << (dataDir / folder).string() << "`)\n";
                return 2;
            }
        const fs::path runsDir = out.empty() ? dataDir / "runs" : fs::absolute(out);
        const fs::path presets = presetsDir();

        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) { printer.print(e); });
        InterruptGuard guard(progress);
        try {
            const json recipe = readJsonFile(presets / "demo-pretrain.json");
            const fs::path weights =
                experiment::ensureDemoModel(dataDir, recipe, userDataDir() / "models", progress, streams.err);
            if (modelOnly) {
                streams.out << weights.string() << "\n";
                return 0;
            }
            const std::map<std::string, std::string> vars = {{"data", dataDir.string()}, {"model", weights.string()}};
            eval::EvaluationResult evaluations[2];
            json poison;
            fs::path dirs[2];
            const std::string suffix = lowRate ? "-lowrate" : "";
            const std::string names[2] = {"demo-clean" + suffix, "demo-attack2" + suffix};
            for (int i = 0; i < 2; ++i) {
                const auto cfg = experiment::ExperimentConfig::load(presets / (names[i] + ".json"), vars);
                experiment::RunOptions options;
                options.outDir = runsDir / names[i];
                options.force = true; // the demo's own runs are replaced each time
                options.evaluateInitial = false;
                streams.err << "== " << names[i] << ": " << cfg.description << "\n";
                const auto outcome = experiment::ExperimentRunner::run(cfg, options, progress);
                evaluations[i] = outcome.evaluation;
                poison = outcome.final.value("poison", json());
                dirs[i] = outcome.runDir;
            }
            // The analyses behind the paper's figures (t-SNE on a seeded sample to stay quick) and
            // the report with its tables and figures, both in the poisoned run's directory.
            streams.err << "== analysing the poisoned run against the clean one\n";
            experiment::AnalyzeOptions analysis;
            analysis.runDir = dirs[1];
            analysis.reference = dirs[0].string();
            analysis.tsneMax = 600;
            analysis.force = true;
            experiment::analyzeRun(analysis, progress);
            report::ReportOptions reportOptions;
            reportOptions.runDir = dirs[1];
            reportOptions.compareDir = dirs[0];
            const report::ReportOutput report = report::ReportBuilder(reportOptions).write();

            printTable(streams.out, evaluations[0], evaluations[1], poison);
            streams.out << "\nRun directories:\n  clean:    " << dirs[0].string()
                        << "\n  poisoned: " << dirs[1].string() << "\nReport (tables and " << report.figures.size()
                        << " figure files):\n  " << report.document.string() << "\n";
            return 0;
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli demo: cancelled; run it again to continue (the pre-trained model and "
                           "finished steps are kept)\n";
            return 130;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::DemoCommand;
POISONLAB_REGISTER_CLI_COMMAND(DemoCommand)
