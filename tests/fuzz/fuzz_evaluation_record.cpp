// libFuzzer target: the evaluation files of a run folder — results/final.json (its "evaluation"
// read by eval::EvaluationResult::fromJson, as the report and `sweep-status` do) and an
// evaluation record's index.json (eval::EvaluationRecordIndex, what `analyze`, `retrieve` and the
// projections read before the .npy embeddings; those have fuzz_npy). The same bytes are fed to
// both. Each must give a value or a poisonlab::Error naming the file — never a crash or another
// exception type — and an evaluation read must write back to the same evaluation.
#include "RunFolderFuzzing.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/eval/EvaluationRecordIndex.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/report/RunResults.h"

namespace {

void readIndex(const std::filesystem::path &file)
{
    const nlohmann::json j = poisonlab::readJsonFile(file);
    const auto index = poisonlab::eval::EvaluationRecordIndex::fromJson(j, file, "final");
    for (int row : index.captionImageRow)
        if (row < 0 || std::size_t(row) >= index.images)
            __builtin_trap(); // a row the reader would index the embeddings with
    for (int k : index.imageClass)
        if (k >= int(index.classes.size()))
            __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using poisonlab::eval::EvaluationResult;
    const auto &dir = poisonlab::fuzz::runFolder();
    const auto bytes = poisonlab::fuzz::bytesOf(data, size);
    const auto finalFile = dir / "results" / "final.json";
    poisonlab::fuzz::writeRunFile(finalFile, bytes);
    poisonlab::fuzz::expectValueOrError(finalFile, [&] {
        const auto results = poisonlab::report::RunResults::load(dir);
        const EvaluationResult &e = results.evaluation;
        if (EvaluationResult::fromJson(e.toJson()).toJson() != e.toJson())
            __builtin_trap();
    });
    const auto indexFile = dir / "results" / "embeddings" / "final" / "index.json";
    poisonlab::fuzz::writeRunFile(indexFile, bytes);
    poisonlab::fuzz::expectValueOrError(indexFile, [&] { readIndex(indexFile); });
    return 0;
}
