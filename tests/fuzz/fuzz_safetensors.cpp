// libFuzzer target: the safetensors reader (weights from a hub or a colleague): the 8-byte header
// length, the JSON header and its tensor table, then every tensor's data, and what loadClip does
// next with a file without a sidecar: the CLIP config inferred from the names and shapes and the
// check that it fits the weights. Arbitrary bytes must give tensors agreeing with the table or a
// poisonlab::Error naming the file — never a crash, another exception type, or an allocation
// sized by a hostile header (offsets past the end, overlapping ranges, huge shapes, a dtype,
// shape and byte count that disagree).
#include "FuzzInput.h"
#include "TorchFuzzSetup.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipStateDict.h"
#include "poisonlab/core/clip/ClipWeightReaders.h"
#include "poisonlab/core/clip/Safetensors.h"

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    poisonlab::fuzz::setUpTorch();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    using poisonlab::clip::Safetensors;
    const auto &file = poisonlab::fuzz::writeInput(data, size, ".safetensors");
    try {
        const Safetensors st = Safetensors::open(file);
        const auto tensors = st.readAll();
        if (tensors.size() != st.entries().size())
            __builtin_trap();
        std::uint64_t previousEnd = 0;
        for (std::size_t i = 0; i < tensors.size(); ++i) {
            const auto &entry = st.entries()[i];
            const auto &t = tensors[i].second;
            // The table is in data order without overlaps, and each tensor is what its entry says.
            if (tensors[i].first != entry.name || entry.begin < previousEnd || entry.end > size ||
                std::uint64_t(t.numel()) * t.element_size() != entry.end - entry.begin ||
                t.sizes().vec() != entry.shape)
                __builtin_trap();
            previousEnd = entry.end;
        }
        const auto config = poisonlab::clip::inferClipConfig(tensors, file.string());
        poisonlab::clip::checkConfigFitsWeights(config, tensors, file);
    } catch (const poisonlab::Error &e) {
        if (std::string(e.what()).find(file.filename().string()) == std::string::npos)
            __builtin_trap(); // every refusal names the file
    }
    return 0;
}
