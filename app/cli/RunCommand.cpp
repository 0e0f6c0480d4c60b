// `poisonlab-cli run CONFIG [--out DIR] [--device D] [--force] [--nproc N]`: one experiment end to end,
// in one process or data-parallel (docs/distributed.md).
#include "CliParsing.h"

#include "cli/DataParallelLaunch.h"
#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"

#include <map>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;

class RunCommand final : public CliCommand {
public:
    std::string name() const override { return "run"; }
    std::string summary() const override
    {
        return "run an experiment (poison, fine-tune, evaluate) into a run directory";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Runs the experiment a config describes: datasets, attack, fine-tuning, evaluation. Everything\n"
                     "goes into a run directory (see docs/run-directory.md). Ctrl-C stops at the next step and\n"
                     "leaves a checkpoint: continue with `poisonlab-cli resume DIR`. With --nproc N, or under\n"
                     "torchrun or srun, it fine-tunes data-parallel (docs/distributed.md).",
                     "run");
        std::string config, out, device;
        bool force = false;
        int nproc = 0;
        std::vector<std::string> vars;
        app.add_option("config", config, "experiment config (JSON)")->required();
        app.add_option("--out", out, "run directory (default: runs/<config name>)");
        app.add_option("--device", device, "cpu, cuda or cuda:N (overrides training.device)");
        app.add_flag("--force", force, "replace an existing run directory");
        app.add_option("--var", vars, "NAME=VALUE for ${NAME} in the config's paths (repeatable)");
        app.add_option("--nproc", nproc, "train data-parallel in N local processes (Gloo on the CPU, NCCL on GPUs)");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;

        std::map<std::string, std::string> varMap;
        for (const auto &v : vars) {
            const auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0) {
                streams.err << "poisonlab-cli run: --var expects NAME=VALUE, got \"" << v << "\"\n";
                return 2;
            }
            varMap[v.substr(0, eq)] = v.substr(eq + 1);
        }
        experiment::ExperimentConfig cfg;
        try {
            cfg = experiment::ExperimentConfig::load(config, varMap);
            // Without --out the run folder is runs/<name>: a name may not lead elsewhere.
            if (out.empty())
                checkedFileName(cfg.name, config, "name", "rename the experiment or pass --out DIR");
        } catch (const Error &e) {
            streams.err << "poisonlab-cli run: " << e.what() << "\n";
            return 2;
        }
        const DataParallelLaunch parallel(nproc);
        if (const auto launched = parallel.launchIfAsked(name(), args, streams))
            return *launched;
        experiment::RunOptions options;
        options.outDir = out.empty() ? fs::path("runs") / cfg.name : fs::path(out);
        options.device = device;
        options.force = force;
        try {
            options.group = parallel.join(device.empty() ? cfg.training.value("device", std::string("cpu")) : device);
        } catch (const Error &e) {
            streams.err << "poisonlab-cli run: " << e.what() << "\n";
            return 2;
        }
        const bool lead = DataParallelLaunch::isLead(options.group);

        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) {
            if (lead)
                printer.print(e);
        });
        InterruptGuard guard(progress);
        try {
            const auto outcome = experiment::ExperimentRunner::run(cfg, options, progress);
            if (!lead)
                return 0;
            streams.err << "run finished: " << outcome.runDir.string() << "\n";
            streams.out << outcome.final.dump(2) << "\n";
            return 0;
        } catch (const CancelledError &) {
            if (lead)
                streams.err << "poisonlab-cli run: cancelled; continue with: poisonlab-cli resume "
                            << fs::absolute(options.outDir).string()
                            << (nproc > 1 ? " --nproc " + std::to_string(nproc) : "") << "\n";
            return 130;
        } catch (const Error &e) {
            streams.err << DataParallelLaunch::prefix(options.group) << "poisonlab-cli run: " << e.what() << "\n";
            return 1;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::RunCommand;
POISONLAB_REGISTER_CLI_COMMAND(RunCommand)
