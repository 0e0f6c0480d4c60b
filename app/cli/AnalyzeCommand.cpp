// `poisonlab-cli analyze RUN_DIR [--reference R] [--model M] [--tsne-max N] [--force] ...`: the
// analyses behind the paper's figures, from a run's evaluation records (docs/run-directory.md).
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/experiment/RunAnalysis.h"

namespace poisonlab::cli {

namespace {

class AnalyzeCommand final : public CliCommand {
public:
    std::string name() const override { return "analyze"; }
    std::string summary() const override
    {
        return "embedding shift, distance densities, PCA/t-SNE projections and the class-pair MinRank grid of a run";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Reads RUN_DIR/results/embeddings/<model>/ (and the reference's) and writes\n"
                     "RUN_DIR/results/analysis/*.json (see docs/run-directory.md and docs/metrics.md).",
                     "analyze");
        experiment::AnalyzeOptions o;
        std::string runDir;
        bool noDensity = false;
        app.add_option("run_dir", runDir, "a finished run directory")->required();
        app.add_option("--reference", o.reference,
                       "what the model is compared with: a model of this run (initial, epoch-N), another run "
                       "directory (its record of the same model) or a record folder; default: this run's initial");
        app.add_option("--model", o.model, "the evaluation record to analyse (final, initial, epoch-N)")
            ->capture_default_str();
        app.add_option("--tsne-max", o.tsneMax,
                       "t-SNE of at most N points per model; beyond, a seeded sample of N "
                       "(0: all points)")
            ->capture_default_str()
            ->check(CLI::Range(0, 10000000));
        app.add_option("--tsne-method", o.tsneMethod,
                       "exact, barnes_hut, or auto (exact up to " + std::to_string(analysis::kExactTsneAutoPoints) +
                           " points, Barnes-Hut beyond)")
            ->capture_default_str()
            ->check(CLI::IsMember({"auto", "exact", "barnes_hut"}));
        app.add_option("--perplexity", o.perplexity, "t-SNE perplexity")->capture_default_str();
        app.add_option("--tsne-iterations", o.tsneIterations, "t-SNE iterations")->capture_default_str();
        app.add_option("--bandwidth", o.bandwidth, "KDE bandwidth (default: Silverman's rule)");
        app.add_option("--seed", o.seed, "seed of the t-SNE layout and sample")->capture_default_str();
        app.add_flag("--no-density", noDensity, "skip the training-pair distance density (no model forward pass)");
        app.add_flag("--force", o.force, "replace existing files in results/analysis");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        o.runDir = runDir;
        o.density = !noDensity;

        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) { printer.print(e); });
        InterruptGuard guard(progress);
        try {
            const auto outcome = experiment::analyzeRun(o, progress);
            nlohmann::json report = {
                {"written", nlohmann::json::array()}, {"skipped", outcome.skipped}, {"summary", outcome.summary}};
            for (const auto &f : outcome.written)
                report["written"].push_back(f.string());
            streams.out << report.dump(2) << "\n";
            return 0;
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli analyze: cancelled (files already written are kept)\n";
            return 130;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli analyze: " << e.what() << "\n";
            return 2;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::AnalyzeCommand;
POISONLAB_REGISTER_CLI_COMMAND(AnalyzeCommand)
