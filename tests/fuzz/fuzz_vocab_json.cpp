// libFuzzer target: a Hugging Face tokenizer's vocab.json (a vocabulary from a hub), read with a
// fixed valid merges.txt beside it through loadTokenizer, as the weights loader does. Arbitrary
// bytes (invalid JSON and UTF-8, huge or duplicate ids, missing byte symbols) must give a
// tokenizer or a poisonlab::Error naming the file — never a crash, another exception type or a
// table sized by a hostile id. A tokenizer it gives must encode and decode.
#include "FuzzFolder.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/Tokenizer.h"

namespace {

const std::filesystem::path &folder()
{
    static const auto dir = [] {
        const auto d = poisonlab::fuzz::makeFolder("-vocab");
        poisonlab::fuzz::writeBytes(d / "merges.txt", "#version: 0.2\nt h\nth e</w>\na n\n");
        return d;
    }();
    return dir;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto &dir = folder();
    poisonlab::fuzz::writeBytes(dir / "vocab.json", std::string_view(reinterpret_cast<const char *>(data), size));
    try {
        const auto tok = poisonlab::clip::loadTokenizer(dir);
        tok->decode(tok->encode("the ant ran to the thin end"));
    } catch (const poisonlab::Error &e) {
        if (e.file().empty())
            __builtin_trap(); // every refusal names a file
    }
    return 0;
}
