// libFuzzer target: the .npy reader behind evaluation records and recomputable metrics (run
// folders copied back from a cluster). Arbitrary bytes must give an array or a poisonlab::Error —
// never a crash, an allocation sized by a hostile header, or another exception type.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto &file = poisonlab::fuzz::writeInput(data, size, ".npy");
    try {
        const poisonlab::NpyArray a = poisonlab::readNpy(file);
        std::size_t n = 1;
        for (auto d : a.shape)
            n *= std::size_t(d);
        if (n != a.data.size())
            __builtin_trap(); // the shape and the values must agree
    } catch (const poisonlab::Error &) {
    }
    return 0;
}
