#include "poisonlab/core/experiment/SweepStatus.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/train/Trainer.h"

namespace poisonlab::experiment {

namespace fs = std::filesystem;

SweepCellStatus readSweepCellStatus(const fs::path &sweepDir, const SweepCell &cell)
{
    SweepCellStatus status;
    status.cell = cell;
    status.state = "pending";
    const fs::path runDir = sweepDir / cell.runDir;
    if (!RunDirectory::isRunDirectory(runDir))
        return status;
    try {
        const RunDirectory run = RunDirectory::open(runDir);
        const RunManifest manifest = run.manifest();
        // "created": the folder exists but the run never got to training.
        status.state = manifest.status == "created" ? "pending" : manifest.status;
        status.error = manifest.error;
        status.hasCheckpoint = train::Trainer::hasCheckpoint(run.checkpointsDir());
        const fs::path finalFile = run.resultsDir() / "final.json";
        if (status.state == "finished" && fs::exists(finalFile)) {
            const nlohmann::json final = readJsonFile(finalFile);
            if (final.contains("evaluation"))
                status.final = eval::EvaluationResult::fromJson(final["evaluation"]);
        }
    } catch (const std::exception &e) {
        status.error = e.what(); // one unreadable cell must not hide the others
    }
    return status;
}

std::vector<SweepCellStatus> readSweepStatus(const fs::path &sweepDir)
{
    const SweepIndex index = SweepIndex::load(sweepDir);
    std::vector<SweepCellStatus> out;
    out.reserve(index.cells.size());
    for (const auto &cell : index.cells)
        out.push_back(readSweepCellStatus(sweepDir, cell));
    return out;
}

} // namespace poisonlab::experiment
