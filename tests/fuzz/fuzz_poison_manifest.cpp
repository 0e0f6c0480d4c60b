// libFuzzer target: poison/manifest.json, the list of pairs an attack changed, read by the
// report, `defend`, `analyze` and `retrieve` (attack::PoisonManifest). Arbitrary bytes must give a
// manifest or a poisonlab::Error naming the file — never a crash or another exception type —
// and a manifest read must write back to the same manifest.
#include "RunFolderFuzzing.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/report/RunResults.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using poisonlab::attack::PoisonManifest;
    const auto &dir = poisonlab::fuzz::runFolder();
    static const bool once = [&] {
        poisonlab::fuzz::writeRunFile(dir / "results/final.json", R"({"name": "fuzz", "evaluation":
            {"utility": {"r_mean": 0.5}, "attacks": [{"source_class": "sheep", "attack": {"hit@10": 0.25}}]}})");
        return true;
    }();
    (void)once;
    const auto file = dir / "poison" / "manifest.json";
    poisonlab::fuzz::writeRunFile(file, poisonlab::fuzz::bytesOf(data, size));
    poisonlab::fuzz::expectValueOrError(file, [&] {
        const PoisonManifest m = PoisonManifest::fromJson(poisonlab::readJsonFile(file), file);
        if (PoisonManifest::fromJson(m.toJson(), file).toJson() != m.toJson())
            __builtin_trap();
    });
    // The report lists a malformed manifest as a problem and goes on.
    poisonlab::fuzz::expectValueOrError(file, [&] {
        const auto results = poisonlab::report::RunResults::load(dir);
        results.attackLabel();
    });
    return 0;
}
