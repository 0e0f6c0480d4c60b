// `poisonlab-cli sweep CONFIG --grid KEY=V1,V2 [--grid ...] --out DIR [--local | --slurm ...]`:
// expands a grid over config keys into a sweep folder, then runs it here or writes a Slurm array job.
#include "CliParsing.h"

#include "cli/InterruptGuard.h"
#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/LocalSweepRunner.h"
#include "poisonlab/core/experiment/SlurmScriptWriter.h"
#include "poisonlab/core/experiment/SweepFolder.h"
#include "poisonlab/core/experiment/SweepStatus.h"

#include <map>

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;

// The running executable, so that the Slurm tasks run this very build (POISONLAB_CLI overrides it).
std::string thisExecutable()
{
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    return ec || self.filename() != "poisonlab-cli" ? std::string("poisonlab-cli") : self.string();
}

struct SweepArgs {
    std::string config, out;
    std::vector<std::string> grids, vars, sbatchLines;
    bool local = false, slurm = false;
    experiment::SlurmOptions slurmOptions;
};

void addOptions(CLI::App &app, SweepArgs &a)
{
    app.add_option("config", a.config, "base experiment config (JSON)")->required();
    app.add_option("--grid", a.grids,
                   "KEY=V1,V2,... over a config key (repeatable; the grid is their product); K1+K2=A1:B1,A2:B2 "
                   "moves keys together (class pairs)")
        ->required();
    app.add_option("--out", a.out, "the sweep folder")->required();
    app.add_option("--var", a.vars, "NAME=VALUE for ${NAME} in the config's paths (repeatable)");
    auto *local = app.add_flag("--local", a.local, "run the cells here, one after another");
    auto *slurm = app.add_flag("--slurm", a.slurm, "write a Slurm array job (sweep.sbatch) to submit with sbatch");
    local->excludes(slurm);
    auto &o = a.slurmOptions;
    app.add_option("--partition", o.partition, "Slurm partition")->needs(slurm);
    app.add_option("--gpus-per-task", o.gpusPerTask, "GPUs per cell")->needs(slurm);
    app.add_option("--cpus-per-task", o.cpusPerTask, "CPUs per cell")->needs(slurm);
    app.add_option("--time", o.time, "time limit per cell (e.g. 4:00:00 or 1-00:00)")->needs(slurm);
    app.add_option("--account", o.account, "Slurm account")->needs(slurm);
    app.add_option("--mem", o.memory, "memory per cell (e.g. 32G)")->needs(slurm);
    app.add_option("--throttle", o.throttle, "at most N cells at once (--array=...%N)")->needs(slurm);
    app.add_option("--sbatch", a.sbatchLines, "one more #SBATCH line, e.g. --sbatch=--qos=high (repeatable)")
        ->needs(slurm);
    app.add_option("--device", o.device, "device each Slurm task trains on (default: cuda with GPUs)")->needs(slurm);
    app.add_option("--nproc", o.processesPerCell,
                   "data-parallel processes per cell (default: one per GPU when --gpus-per-task > 1)")
        ->needs(slurm);
}

void printCells(const fs::path &dir, const experiment::SweepIndex &index, std::ostream &out)
{
    out << index.cells.size() << " cells in " << dir.string() << " (sweep.json):\n";
    for (const auto &cell : index.cells)
        out << "  " << cell.name << "  " << experiment::readSweepCellStatus(dir, cell).state << "\n";
}

int runLocally(const fs::path &dir, CliStreams streams)
{
    RunProgressPrinter printer(streams.err);
    CallbackProgress progress([&](const ProgressEvent &e) {
        if (e.stage == "sweep" && e.done < e.total)
            streams.err << "== cell " << e.done + 1 << "/" << e.total << ": " << e.message << "\n";
        else if (e.stage != "sweep")
            printer.print(e);
    });
    InterruptGuard guard(progress);
    int failed = 0;
    try {
        experiment::LocalSweepRunner::run(dir, progress, [&](const experiment::SweepCellOutcome &o) {
            streams.out << o.cell << ": " << (o.action == "skipped" ? "already finished" : o.action + ", " + o.state)
                        << (o.error.empty() ? "" : ": " + o.error) << "\n";
            failed += o.state == "failed";
        });
    } catch (const CancelledError &) {
        streams.err << "poisonlab-cli sweep: cancelled; the cell stays resumable: run the same command again\n";
        return 130;
    }
    streams.err << "see the results with: poisonlab-cli sweep-status " << dir.string() << "\n";
    return failed ? 1 : 0;
}

class SweepCommand final : public CliCommand {
public:
    std::string name() const override { return "sweep"; }
    std::string summary() const override
    {
        return "expand a grid over config keys into a sweep folder; run it here or write a Slurm array job";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app(
            "Expands a grid over config keys (poison rate, class pairs, seeds, learning rate...) into a sweep\n"
            "folder: one config and run directory per cell, and sweep.json (see docs/distributed.md).\n"
            "Without --local or --slurm it only writes the folder and lists the cells. Running it again\n"
            "with the same config keeps every cell already there and adds new values to the grid.",
            "sweep");
        SweepArgs a;
        addOptions(app, a);
        if (int rc = parseArgs(app, args, streams); rc >= 0)
            return rc;
        std::map<std::string, std::string> vars;
        for (const auto &v : a.vars) {
            const auto eq = v.find('=');
            if (eq == std::string::npos || eq == 0) {
                streams.err << "poisonlab-cli sweep: --var expects NAME=VALUE, got \"" << v << "\"\n";
                return 2;
            }
            vars[v.substr(0, eq)] = v.substr(eq + 1);
        }
        const fs::path dir = a.out;
        try {
            a.slurmOptions.extra = a.sbatchLines;
            a.slurmOptions.cli = thisExecutable();
            if (a.slurm)
                experiment::SlurmScriptWriter::validate(dir, a.slurmOptions);
            const auto index = experiment::SweepFolder::expandFile(a.config, vars, a.grids, dir);
            printCells(dir, index, streams.out);
            if (a.slurm) {
                const fs::path script = experiment::SlurmScriptWriter::write(dir, index, a.slurmOptions);
                streams.out << "Slurm array job: " << script.string() << "\nsubmit with: sbatch " << script.string()
                            << "\n";
            }
        } catch (const Error &e) {
            streams.err << "poisonlab-cli sweep: " << e.what() << "\n";
            return 2;
        }
        return a.local ? runLocally(dir, streams) : 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::SweepCommand;
POISONLAB_REGISTER_CLI_COMMAND(SweepCommand)
