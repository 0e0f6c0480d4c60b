#pragma once

#include "poisonlab/core/clip/Tokenizer.h"

#include <array>
#include <memory>
#include <shared_mutex>
#include <unordered_map>
#include <utility>

namespace poisonlab::clip {

/// CLIP's byte-level BPE tokenizer, computing exactly what OpenAI's simple_tokenizer.py computes
/// (without its ftfy step): html.unescape twice, white-space clean-up, str.lower(), the same
/// pre-tokenising pattern with Unicode letter/number classes, BPE words ending in "</w>".
///
/// Token strings and merges are in the byte-level alphabet (each byte shown as one printable
/// character, e.g. ' ' as 'Ġ'), as in the merges file and vocab.json.
class ClipBpeTokenizer final : public Tokenizer {
public:
    using Merge = std::pair<std::string, std::string>;

    /// OpenAI's layout: ids are the 256 byte symbols, the same with "</w>", one per merge (the
    /// two halves joined), then <|startoftext|> and <|endoftext|>. Throws poisonlab::Error for a
    /// merge with an empty half.
    explicit ClipBpeTokenizer(std::vector<Merge> merges);

    /// Hugging Face's layout: `vocab` maps token strings to ids (no id twice), `merges` in rank
    /// order. Every byte symbol, its "</w>" form, both special tokens and each merge's result
    /// must be in `vocab`; otherwise throws poisonlab::Error naming `source` (for messages).
    ClipBpeTokenizer(const std::vector<std::pair<std::string, int64_t>> &vocab, std::vector<Merge> merges,
                     const std::filesystem::path &source = {});

    /// OpenAI's bpe_simple_vocab_16e6.txt.gz (or the same, not gzipped): a header line, then
    /// "a b" merge lines of which the first 48,894 are used, as simple_tokenizer.py does.
    static std::shared_ptr<ClipBpeTokenizer> fromMergesFile(const std::filesystem::path &path);
    /// Hugging Face's vocab.json + merges.txt (all merges in the file are used).
    static std::shared_ptr<ClipBpeTokenizer> fromVocabAndMerges(const std::filesystem::path &vocabJson,
                                                                const std::filesystem::path &mergesTxt);

    std::vector<int64_t> encode(std::string_view text) const override;
    int64_t startToken() const override { return m_startId; }
    int64_t endToken() const override { return m_endId; }
    int64_t vocabSize() const override { return static_cast<int64_t>(m_tokens.size()); }
    std::string decode(const std::vector<int64_t> &ids) const override;
    void save(const std::filesystem::path &folder) const override;

    const std::vector<Merge> &merges() const { return m_merges; }
    /// The vocabulary entry of `id` in the byte-level alphabet; empty for an unused id.
    const std::string &tokenString(int64_t id) const;

    /// What encode() feeds to BPE: the cleaned, lower-cased text split into words, each in the
    /// byte-level alphabet (special-token words included as they are).
    static std::vector<std::string> preTokenize(std::string_view text);
    /// simple_tokenizer's clean-up alone: whitespace_clean(basic_clean(text)).lower(), UTF-8.
    static std::string normalize(std::string_view text);
    /// The first 256 vocabulary entries: the byte-level character of each byte, in id order.
    static const std::array<std::string, 256> &byteSymbols();
    /// The byte whose byte-level symbol is id `index` (0..255) in OpenAI's order.
    static uint8_t byteOfSymbolIndex(int index);

private:
    struct MergeRule {
        int32_t rank;
        int32_t result;
    };
    static constexpr const char *kStartText = "<|startoftext|>";
    static constexpr const char *kEndText = "<|endoftext|>";

    void buildIndex(const std::filesystem::path &source);
    void bpe(const std::string &word, std::vector<int32_t> &out) const;

    std::vector<std::string> m_tokens; // id -> token string
    std::unordered_map<std::string, int32_t> m_ids;
    std::vector<Merge> m_merges;
    std::unordered_map<uint64_t, MergeRule> m_ranks; // (first id << 32 | second id) -> rule
    std::array<int32_t, 256> m_byteId{};
    std::array<int32_t, 256> m_byteEndId{};
    int64_t m_startId = 0;
    int64_t m_endId = 0;

    mutable std::shared_mutex m_cacheMutex;
    mutable std::unordered_map<std::string, std::vector<int32_t>> m_cache;
};

} // namespace poisonlab::clip
