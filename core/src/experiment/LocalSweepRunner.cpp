#include "poisonlab/core/experiment/LocalSweepRunner.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/SweepStatus.h"

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

SweepCellOutcome runCell(const fs::path &sweepDir, const SweepCell &cell, ProgressReporter &progress)
{
    const SweepCellStatus status = readSweepCellStatus(sweepDir, cell);
    SweepCellOutcome outcome{cell.name, "", "", ""};
    if (status.state == "finished")
        return {cell.name, "skipped", "finished", ""};
    const fs::path runDir = sweepDir / cell.runDir;
    try {
        if (RunDirectory::isRunDirectory(runDir)) {
            outcome.action = "resumed";
            ExperimentRunner::resume(runDir, progress);
        } else {
            outcome.action = "started";
            RunOptions options;
            options.outDir = runDir;
            ExperimentRunner::run(ExperimentConfig::load(sweepDir / cell.configFile), options, progress);
        }
        outcome.state = "finished";
    } catch (const CancelledError &) {
        throw;
    } catch (const std::exception &e) {
        outcome.state = "failed";
        outcome.error = e.what();
    }
    return outcome;
}

} // namespace

std::vector<SweepCellOutcome> LocalSweepRunner::run(const fs::path &sweepDir, ProgressReporter &progress,
                                                    const CellCallback &onCellDone)
{
    const SweepIndex index = SweepIndex::load(sweepDir);
    std::vector<SweepCellOutcome> outcomes;
    const auto total = static_cast<long long>(index.cells.size());
    for (long long i = 0; i < total; ++i) {
        const SweepCell &cell = index.cells[static_cast<std::size_t>(i)];
        progress.throwIfCancelled();
        progress.report({"sweep", i, total, cell.name, {}});
        outcomes.push_back(runCell(sweepDir, cell, progress));
        if (onCellDone)
            onCellDone(outcomes.back());
    }
    progress.report({"sweep", total, total, "done", {}});
    return outcomes;
}

} // namespace poisonlab::experiment
