#include "poisonlab/core/experiment/RunEmbeddingShift.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/analysis/EmbeddingShift.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include "RunAnalysisInputs.h"

namespace poisonlab::experiment {

nlohmann::json embeddingShiftBetweenRuns(const std::filesystem::path &runDir,
                                         const std::filesystem::path &referenceRunDir, const std::string &model)
{
    const RunDirectory reference = RunDirectory::open(referenceRunDir);
    RunDirectory::open(runDir); // a clear error when it is not a run
    const auto ref = eval::EvaluationRecord::load(eval::evaluationRecordDir(referenceRunDir, model));
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(runDir, model));
    checkSameRows(rec, ref);
    const auto shift = analysis::embeddingShift(ref.images, ref.captions, rec.images, rec.captions);
    return {{"reference", reference.manifest().name + "/" + model},
            {"model", model},
            {"distance", "1 - cos"},
            {"images", shift.images.toJson()},
            {"captions", shift.captions.toJson()}};
}

} // namespace poisonlab::experiment

namespace poisonlab::experiment {

nlohmann::json loadOrComputeEmbeddingShift(const std::filesystem::path &runDir,
                                           const std::filesystem::path &referenceRunDir, const std::string &model,
                                           ProgressReporter &progress)
{
    namespace fs = std::filesystem;
    const fs::path file = runDir / "results" / "analysis" / "embedding_shift.json";
    const std::string reference = RunDirectory::open(referenceRunDir).manifest().name + "/" + model;
    progress.report({"embedding-shift", 0, 1, "reading the evaluation records", {}});
    if (fs::is_regular_file(file)) {
        const nlohmann::json cached = readJsonFile(file);
        if (cached.value("reference", "") == reference && cached.value("model", "") == model)
            return cached;
    }
    nlohmann::json shift = embeddingShiftBetweenRuns(runDir, referenceRunDir, model);
    progress.throwIfCancelled();
    if (!fs::exists(file))
        writeJsonAtomically(file, shift, -1);
    progress.report({"embedding-shift", 1, 1, "done", {}});
    return shift;
}

} // namespace poisonlab::experiment
