// `poisonlab-cli resume RUN_DIR`: continues a cancelled or killed run from its last checkpoint.
#include "CliParsing.h"

#include "cli/DataParallelLaunch.h"
#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/distributed/DistributedGroup.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

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
        int nproc = 0;
        experiment::ResumeOptions resume;
        app.add_option("run_dir", dir, "run directory")->required();
        app.add_option("--precision", resume.precision, "continue in this training precision (fp32, bf16, fp16)")
            ->check(CLI::IsMember({"fp32", "bf16", "fp16"}));
        app.add_flag("--allow-precision-change", resume.allowPrecisionChange,
                     "needed with --precision when it differs from the run's: the numbers change from there on");
        app.add_option("--nproc", nproc,
                       "continue data-parallel in N local processes (as many as the run started with)");
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        const DataParallelLaunch parallel(nproc);
        if (const auto launched = parallel.launchIfAsked(name(), args, streams))
            return *launched;
        std::shared_ptr<distributed::DistributedGroup> &group = resume.group;
        try {
            group = parallel.join(runDevice(dir));
        } catch (const Error &e) {
            streams.err << "poisonlab-cli resume: " << e.what() << "\n";
            return 2;
        }
        const bool lead = DataParallelLaunch::isLead(group);
        RunProgressPrinter printer(streams.err);
        CallbackProgress progress([&](const ProgressEvent &e) {
            if (lead)
                printer.print(e);
        });
        InterruptGuard guard(progress);
        try {
            const auto outcome = experiment::ExperimentRunner::resume(dir, progress, resume);
            if (!lead)
                return 0;
            streams.err << "run finished: " << outcome.runDir.string() << "\n";
            streams.out << outcome.final.dump(2) << "\n";
            return 0;
        } catch (const CancelledError &) {
            streams.err << "poisonlab-cli resume: cancelled again; continue with: poisonlab-cli resume " << dir << "\n";
            return 130;
        } catch (const Error &e) {
            streams.err << DataParallelLaunch::prefix(group) << "poisonlab-cli resume: " << e.what() << "\n";
            return 2;
        }
    }

private:
    /// The training device the run was started with ("cpu" when the folder cannot tell).
    static std::string runDevice(const std::string &dir)
    {
        try {
            return experiment::RunDirectory::open(dir).config().at("training").value("device", std::string("cpu"));
        } catch (const std::exception &) {
            return "cpu"; // resume() itself reports what is wrong with the folder
        }
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::ResumeCommand;
POISONLAB_REGISTER_CLI_COMMAND(ResumeCommand)
