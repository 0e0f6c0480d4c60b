// libFuzzer target: CLIP's BPE tokenizer on arbitrary bytes (valid and invalid UTF-8, HTML
// entities, every Unicode class the clean-up touches) and the merges-file reader (a vocabulary
// from a hub). The input is "<merges file>\0<caption>"; without a NUL it is all caption for a
// fixed small vocabulary. Encoding must never crash or throw anything but poisonlab::Error, and
// decoding what it encoded must work.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include <cstring>

using poisonlab::clip::ClipBpeTokenizer;

namespace {

const ClipBpeTokenizer &fixedTokenizer()
{
    static const auto tok = std::make_shared<ClipBpeTokenizer>(std::vector<ClipBpeTokenizer::Merge>{
        {"t", "h"}, {"th", "e</w>"}, {"a", "n"}, {"s", "h"}, {"sh", "e"}, {"e", "e"}, {"p", "</w>"}});
    return *tok;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const char *bytes = reinterpret_cast<const char *>(data);
    const void *nul = std::memchr(bytes, 0, size);
    try {
        if (!nul) {
            const auto ids = fixedTokenizer().encode(std::string_view(bytes, size));
            fixedTokenizer().decode(ids);
            return 0;
        }
        const std::size_t split = std::size_t(static_cast<const char *>(nul) - bytes);
        const auto &file = poisonlab::fuzz::writeInput(data, split, ".merges.txt");
        const auto tok = ClipBpeTokenizer::fromMergesFile(file);
        const auto ids = tok->encode(std::string_view(bytes + split + 1, size - split - 1));
        tok->decode(ids);
    } catch (const poisonlab::Error &) {
    }
    return 0;
}
