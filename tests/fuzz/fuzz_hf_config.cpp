// libFuzzer target: a Hugging Face CLIPModel folder's config.json (a checkpoint from a hub),
// beside a valid tiny model.safetensors (tests/fuzz/data/hf-tiny, whose own config.json is the
// seed), read as loadClip reads it up to building the model: configFromHuggingFace, the
// safetensors reader, the renaming to OpenAI's keys and the check that the config fits the
// weights. Arbitrary bytes must give a checkpoint whose config a model could be built from
// without allocating more than the weights hold, or a poisonlab::Error naming a file.
#include "FuzzFolder.h"
#include "TorchFuzzSetup.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeightReaders.h"

#ifndef POISONLAB_FUZZ_DATA
#error "POISONLAB_FUZZ_DATA must name tests/fuzz/data"
#endif

namespace {

const std::filesystem::path &folder()
{
    static const auto dir = [] {
        const auto d = poisonlab::fuzz::makeFolder("-hf");
        const std::filesystem::path weights = std::filesystem::path(POISONLAB_FUZZ_DATA) / "hf-tiny/model.safetensors";
        poisonlab::fuzz::writeBytes(d / "model.safetensors", poisonlab::readFile(weights));
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    poisonlab::fuzz::setUpTorch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto &dir = folder();
    poisonlab::fuzz::writeBytes(dir / "config.json", std::string_view(reinterpret_cast<const char *>(data), size));
    try {
        const auto checkpoint = poisonlab::clip::readHuggingFaceFolder(dir);
        poisonlab::clip::checkConfigFitsWeights(checkpoint.config, checkpoint.stateDict, dir);
        checkpoint.config.validate(); // what it returns, a model can be built from (else: an Error without a file)
    } catch (const poisonlab::Error &e) {
        if (e.file().empty())
            __builtin_trap(); // every refusal names a file
    }
    return 0;
}
