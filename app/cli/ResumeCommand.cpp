// `poisonlab-cli resume RUN_DIR`: continues a cancelled or killed run from its last checkpoint.
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"

namespace poisonlab::cli {

namespace {

class ResumeCommand final : public CliCommand {
public:
    std::string name() const override { return "resume"; }
    std::string summary() const override { return "continue a cancelled or killed run from its last checkpoint"; }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app("Continues the run in RUN_DIR with the config saved there, from its last checkpoint; the\n"
                     "losses are those of an uninterrupted run.",
                     "resume");
        std::string dir;
        app.add_option("run_dir", dir, "run directory")->required();
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) { printer.print(e); });
        InterruptGuard guard(progress);
        try {
            const auto outcome = experiment::ExperimentRunner::resume(dir, progress);
            streams.err << "run finished: " << outcome.runDir.string() << "\n";
            streams.out << outcome.final.dump(2) << "\n";
            return 0;
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli resume: cancelled again; continue with: poisonlab-cli resume " << dir << "\n";
            return 130;
        } catch (const Error &e) {
            streams.err << "poisonlab-cli resume: " << e.what() << "\n";
            return 2;
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::ResumeCommand;
POISONLAB_REGISTER_CLI_COMMAND(ResumeCommand)
