// `poisonlab-cli defend RUN_DIR --config DEFENSE.json [--out DIR]`: a post-training defense
// (clean fine-tuning) on a finished, poisoned run.
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/DefenseStage.h"
#include "poisonlab/core/report/RunResults.h"

#include <cmath>
#include <cstdio>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class DefendCommand final : public CliCommand {
public:
    std::string name() const override { return "defend"; }
    std::string summary() const override { return "run a post-training defense on a finished, poisoned run"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Runs the post-training defense a defense config names (e.g. defense-clean-finetune) on the\n"
                     "poisoned model of RUN_DIR (model/final.safetensors), with the run's data, goals and\n"
                     "training options. The config is {\"defenses\": [{\"plugin\": id, \"options\": {...}}]} or one\n"
                     "{\"plugin\", \"options\"}. posttrain.json goes to RUN_DIR/results/defense/ (or --out DIR).\n"
                     "See docs/defenses.md.",
                     "defend");
        std::string dir, config, out, device;
        app.add_option("run_dir", dir, "a finished, poisoned run directory")->required();
        app.add_option("--config", config, "defense config (JSON)")->required();
        app.add_option("--out", out, "folder for posttrain.json (default: RUN_DIR/results/defense)");
        app.add_option("--device", device, "cpu, cuda or cuda:N (overrides the run's device)");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) { printer.print(e); });
        InterruptGuard guard(progress);
        json result;
        try {
            result = experiment::defendRun(dir, readJsonFile(config), config, out, device, progress);
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli defend: cancelled; nothing was written\n";
            return 130;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli defend: " << e.what() << "\n";
            return 2;
        }
        // A table of the curve: learning rate, epoch, utility, Hit@10 per goal.
        const auto orZero = [](double v) { return std::isnan(v) ? 0.0 : v; };
        for (const auto &r : report::postTrainingRuns(result)) {
            for (const auto &e : r.evaluations) {
                char line[256];
                std::snprintf(line, sizeof line, "lr %-8g epoch %-3d R_mean %.4f", orZero(r.learningRate),
                              e.epoch.value_or(0), orZero(e.evaluation.utility.rMean));
                streams.err << line;
                for (const auto &a : e.evaluation.attacks)
                    streams.err << "  " << a.name << " Hit@10 " << orZero(a.attack.hitAt(10));
                streams.err << "\n";
            }
        }
        streams.out << result.dump(2) << "\n";
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::DefendCommand;
POISONLAB_REGISTER_CLI_COMMAND(DefendCommand)
