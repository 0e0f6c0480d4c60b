// libFuzzer target: OpenAI's TorchScript checkpoints (`ViT-B-32.pt`, a zip archive of pickled
// tensors), read as loadClip reads them up to building the model: LibTorch's loader, the checks
// that each tensor lies within its storage, the config inferred from the names and shapes, and
// the check that the config fits the weights. Arbitrary bytes must give a checkpoint or a
// poisonlab::Error naming the file — never a crash or another exception type. LibTorch is linked,
// not instrumented: the fuzzer steers by PoisonLab's code and mutates the archive blindly.
#include "FuzzInput.h"
#include "TorchFuzzSetup.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipWeightReaders.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    poisonlab::fuzz::setUpTorch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto &file = poisonlab::fuzz::writeInput(data, size, ".pt");
    try {
        const auto checkpoint = poisonlab::clip::readTorchScriptCheckpoint(file);
        poisonlab::clip::checkConfigFitsWeights(checkpoint.config, checkpoint.stateDict, file);
        for (const auto &[name, t] : checkpoint.stateDict)
            if (t.is_floating_point())
                (void)t.to(torch::kFloat32).sum().item<float>(); // what loading reads
    } catch (const poisonlab::Error &e) {
        if (e.file() != file)
            __builtin_trap(); // every refusal names the file
    }
    return 0;
}
