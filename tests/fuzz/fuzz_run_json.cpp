// libFuzzer target: run.json, the manifest that makes a folder a run directory (run folders are
// copied back from clusters and between colleagues). Arbitrary bytes must open as a run with its
// manifest or give a poisonlab::Error naming run.json — never a crash or another exception type.
#include "RunFolderFuzzing.h"

#include "poisonlab/core/experiment/RunDirectory.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using poisonlab::experiment::RunDirectory;
    using poisonlab::experiment::RunManifest;
    const auto &dir = poisonlab::fuzz::runFolder();
    const auto file = dir / "run.json";
    poisonlab::fuzz::writeRunFile(file, poisonlab::fuzz::bytesOf(data, size));
    const bool isRun = RunDirectory::isRunDirectory(dir);
    poisonlab::fuzz::expectValueOrError(file, [&] {
        const RunManifest m = RunDirectory::open(dir).manifest();
        if (!isRun)
            __builtin_trap(); // opened, yet not recognised as a run directory
        // What the run writes back (status updates) must read back the same.
        const RunManifest back = RunManifest::fromJson(m.toJson(), file);
        if (back.toJson() != m.toJson())
            __builtin_trap();
    });
    return 0;
}
