#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace poisonlab::clip {

/// Text to token ids for a CLIP text tower. Implementations are immutable after construction
/// and safe to use from several threads at once.
class Tokenizer {
public:
    virtual ~Tokenizer();

    /// The BPE ids of `text` (UTF-8), without start/end tokens.
    virtual std::vector<int64_t> encode(std::string_view text) const = 0;
    /// <|startoftext|> (49406 in OpenAI's vocabulary).
    virtual int64_t startToken() const = 0;
    /// <|endoftext|> (49407 in OpenAI's vocabulary).
    virtual int64_t endToken() const = 0;
    /// One more than the largest id (49408 for OpenAI's vocabulary): the embedding table's rows.
    virtual int64_t vocabSize() const = 0;
    /// Text of `ids` (UTF-8); throws poisonlab::Error for an id outside the vocabulary.
    virtual std::string decode(const std::vector<int64_t> &ids) const = 0;
    /// Writes vocab.json + merges.txt (Hugging Face layout) into `folder`, each atomically.
    virtual void save(const std::filesystem::path &folder) const = 0;

    /// Start token, BPE ids, end token; unpadded. With contextLength > 0 a longer result is cut
    /// like clip.tokenize(truncate=True): the first contextLength - 1 ids, then the end token.
    std::vector<int64_t> encodeWithSpecialTokens(std::string_view text, int contextLength = 0) const;

    /// One row of exactly contextLength ids per text (cut as above, zero padded): what the model
    /// consumes. Row-major, texts.size() * contextLength values.
    std::vector<int64_t> tokenizeBatch(const std::vector<std::string> &texts, int contextLength = 77) const;
};

/// Loads a tokenizer from OpenAI's merges file (bpe_simple_vocab_16e6.txt.gz, gzipped or plain
/// text), from a Hugging Face vocab.json (with merges.txt beside it), or from a folder holding
/// vocab.json + merges.txt. Throws poisonlab::Error naming the file and the problem.
std::shared_ptr<Tokenizer> loadTokenizer(const std::filesystem::path &path);

} // namespace poisonlab::clip
