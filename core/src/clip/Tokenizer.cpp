#include "poisonlab/core/clip/Tokenizer.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include <algorithm>

namespace poisonlab::clip {
namespace fs = std::filesystem;

Tokenizer::~Tokenizer() = default;

std::vector<int64_t> Tokenizer::encodeWithSpecialTokens(std::string_view text, int contextLength) const
{
    if (contextLength < 0)
        throw Error("context length must be positive (or 0 for no limit), got " + std::to_string(contextLength));
    std::vector<int64_t> ids = encode(text);
    ids.insert(ids.begin(), startToken());
    ids.push_back(endToken());
    // clip.tokenize(truncate=True): tokens[:context_length], then the last one becomes <|endoftext|>.
    if (contextLength > 0 && ids.size() > static_cast<std::size_t>(contextLength)) {
        ids.resize(static_cast<std::size_t>(contextLength));
        ids.back() = endToken();
    }
    return ids;
}

std::vector<int64_t> Tokenizer::tokenizeBatch(const std::vector<std::string> &texts, int contextLength) const
{
    if (contextLength <= 0)
        throw Error("context length must be positive, got " + std::to_string(contextLength));
    const auto width = static_cast<std::size_t>(contextLength);
    std::vector<int64_t> rows(texts.size() * width, 0);
    for (std::size_t r = 0; r < texts.size(); ++r) {
        const std::vector<int64_t> ids = encodeWithSpecialTokens(texts[r], contextLength);
        std::copy(ids.begin(), ids.end(), rows.begin() + static_cast<std::ptrdiff_t>(r * width));
    }
    return rows;
}

std::shared_ptr<Tokenizer> loadTokenizer(const fs::path &path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path, "tokenizer vocabulary not found");
    if (fs::is_directory(path, ec)) {
        const fs::path vocab = path / "vocab.json", merges = path / "merges.txt";
        if (!fs::exists(vocab, ec))
            throw Error(path, "no tokenizer in this folder: expected vocab.json and merges.txt (Hugging Face "
                              "layout); for OpenAI's vocabulary pass the bpe_simple_vocab_16e6.txt.gz file");
        if (!fs::exists(merges, ec))
            throw Error(merges, "file not found; vocab.json needs the merges.txt beside it");
        return ClipBpeTokenizer::fromVocabAndMerges(vocab, merges);
    }
    if (path.extension() == ".json") {
        const fs::path merges = path.parent_path() / "merges.txt";
        if (!fs::exists(merges, ec))
            throw Error(merges, "file not found; " + path.filename().string() + " needs the merges.txt beside it");
        return ClipBpeTokenizer::fromVocabAndMerges(path, merges);
    }
    return ClipBpeTokenizer::fromMergesFile(path);
}

} // namespace poisonlab::clip
