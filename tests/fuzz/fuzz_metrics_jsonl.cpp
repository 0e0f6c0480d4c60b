// libFuzzer target: metrics.jsonl, the run's appended log of steps, epochs and evaluations, as
// the report, resume and the workbench's charts read it (report::RunResults over MetricsLog).
// Arbitrary bytes must load, or give a poisonlab::Error naming the file — never a crash or
// another exception type — and every record handed on has the common keys' types.
#include "RunFolderFuzzing.h"

#include "poisonlab/core/experiment/MetricsLog.h"
#include "poisonlab/core/report/RunResults.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using poisonlab::experiment::MetricsLog;
    const auto &dir = poisonlab::fuzz::runFolder();
    const auto file = dir / "metrics.jsonl";
    poisonlab::fuzz::writeRunFile(file, poisonlab::fuzz::bytesOf(data, size));
    poisonlab::fuzz::expectValueOrError(file, [&] {
        for (const auto &record : MetricsLog::read(file).records)
            if (!MetricsLog::problemOf(record).empty())
                __builtin_trap();
        // Without final.json the report takes its evaluations from metrics.jsonl.
        const auto results = poisonlab::report::RunResults::load(dir);
        results.epochRecords();
        results.evaluation.toJson();
    });
    return 0;
}
