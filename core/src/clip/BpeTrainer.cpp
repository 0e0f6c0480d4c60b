#include "poisonlab/core/clip/BpeTrainer.h"

#include "clip/ClipTextCleaner.h"
#include "clip/Utf8.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_set>

namespace poisonlab::clip {

namespace {

constexpr int64_t kBaseSymbols = 512; // 256 bytes and the same with "</w>"
constexpr int64_t kSpecialTokens = 2;

struct Word {
    std::vector<int32_t> symbols;
    int64_t count = 0;
};

// Candidate pairs, most frequent first; equal counts go to the smaller (first, second) ids.
struct Candidate {
    int64_t count;
    int32_t first;
    int32_t second;
    bool operator<(const Candidate &o) const
    {
        if (count != o.count)
            return count > o.count;
        if (first != o.first)
            return first < o.first;
        return second < o.second;
    }
};

uint64_t pairKey(int32_t a, int32_t b)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

class PairStatistics {
public:
    void change(int32_t a, int32_t b, int64_t delta)
    {
        const uint64_t key = pairKey(a, b);
        int64_t &count = m_counts[key];
        const bool listed = !m_banned.count(key);
        if (listed && count > 0)
            m_queue.erase({count, a, b});
        count += delta;
        if (listed && count > 0)
            m_queue.insert({count, a, b});
        if (count == 0)
            m_counts.erase(key);
    }
    void ban(const Candidate &c)
    {
        m_queue.erase(c);
        m_banned.insert(pairKey(c.first, c.second));
    }
    bool empty() const { return m_queue.empty(); }
    const Candidate &best() const { return *m_queue.begin(); }

private:
    std::unordered_map<uint64_t, int64_t> m_counts;
    std::set<Candidate> m_queue;
    std::unordered_set<uint64_t> m_banned;
};

} // namespace

BpeTrainer::BpeTrainer(BpeTrainerOptions options) : m_options(options)
{
}

void BpeTrainer::addText(std::string_view text)
{
    const std::u32string clean = cleanClipText(text);
    std::vector<std::u32string_view> words;
    splitClipWords(clean, words);
    for (std::u32string_view w : words) {
        std::string word = utf8::encode(w);
        if (word == "<|startoftext|>" || word == "<|endoftext|>")
            continue;
        ++m_wordCounts[std::move(word)];
    }
}

void BpeTrainer::addTexts(const std::vector<std::string> &texts)
{
    for (const std::string &t : texts)
        addText(t);
}

std::shared_ptr<ClipBpeTokenizer> BpeTrainer::train(ProgressReporter *progress) const
{
    if (m_options.vocabSize < kBaseSymbols + kSpecialTokens)
        throw Error("BPE vocabulary size " + std::to_string(m_options.vocabSize) + " is too small: CLIP's byte-level " +
                    "BPE needs at least " + std::to_string(kBaseSymbols + kSpecialTokens) + " entries");
    const auto wanted = static_cast<std::size_t>(m_options.vocabSize - kBaseSymbols - kSpecialTokens);
    if (progress)
        progress->throwIfCancelled();

    // Symbols as the tokenizer will number them: bytes, bytes + "</w>", then one per merge.
    std::vector<std::string> text;
    std::array<int32_t, 256> idOfByte{};
    for (int i = 0; i < 256; ++i) {
        text.push_back(ClipBpeTokenizer::byteSymbols()[static_cast<std::size_t>(i)]);
        idOfByte[ClipBpeTokenizer::byteOfSymbolIndex(i)] = i;
    }
    for (int i = 0; i < 256; ++i)
        text.push_back(text[static_cast<std::size_t>(i)] + "</w>");
    std::unordered_map<std::string, int32_t> idOfText;
    for (std::size_t i = 0; i < text.size(); ++i)
        idOfText.emplace(text[i], static_cast<int32_t>(i));

    // Sorted, so that the result does not depend on hashing or on the order texts came in.
    const std::map<std::string, int64_t> sorted(m_wordCounts.begin(), m_wordCounts.end());
    std::vector<Word> words;
    words.reserve(sorted.size());
    PairStatistics stats;
    std::unordered_map<uint64_t, std::vector<uint32_t>> wordsWithPair;
    for (const auto &[bytes, count] : sorted) {
        Word w;
        w.count = count;
        for (std::size_t i = 0; i < bytes.size(); ++i)
            w.symbols.push_back(idOfByte[static_cast<uint8_t>(bytes[i])] + (i + 1 == bytes.size() ? 256 : 0));
        const auto index = static_cast<uint32_t>(words.size());
        for (std::size_t i = 0; i + 1 < w.symbols.size(); ++i) {
            stats.change(w.symbols[i], w.symbols[i + 1], count);
            auto &list = wordsWithPair[pairKey(w.symbols[i], w.symbols[i + 1])];
            if (list.empty() || list.back() != index)
                list.push_back(index);
        }
        words.push_back(std::move(w));
    }

    std::vector<ClipBpeTokenizer::Merge> merges;
    while (merges.size() < wanted && !stats.empty()) {
        const Candidate top = stats.best();
        if (top.count < m_options.minPairCount)
            break;
        const std::string joined =
            text[static_cast<std::size_t>(top.first)] + text[static_cast<std::size_t>(top.second)];
        if (idOfText.count(joined)) {
            // Already a symbol by another split ("ab"+"c" vs "a"+"bc"): a second vocabulary entry
            // with the same text would make vocab.json and the merges disagree, so skip the pair.
            stats.ban(top);
            continue;
        }
        const auto merged = static_cast<int32_t>(text.size());
        text.push_back(joined);
        idOfText.emplace(joined, merged);
        merges.emplace_back(text[static_cast<std::size_t>(top.first)], text[static_cast<std::size_t>(top.second)]);

        const uint64_t key = pairKey(top.first, top.second);
        std::vector<uint32_t> affected = std::move(wordsWithPair[key]);
        wordsWithPair.erase(key);
        std::sort(affected.begin(), affected.end());
        affected.erase(std::unique(affected.begin(), affected.end()), affected.end());
        for (uint32_t index : affected) {
            Word &w = words[index];
            auto &s = w.symbols;
            for (std::size_t i = 0; i + 1 < s.size(); ++i)
                stats.change(s[i], s[i + 1], -w.count);
            std::size_t j = 0;
            for (std::size_t i = 0; i < s.size();) {
                if (i + 1 < s.size() && s[i] == top.first && s[i + 1] == top.second) {
                    s[j++] = merged;
                    i += 2;
                } else {
                    s[j++] = s[i++];
                }
            }
            s.resize(j);
            for (std::size_t i = 0; i + 1 < s.size(); ++i) {
                stats.change(s[i], s[i + 1], w.count);
                auto &list = wordsWithPair[pairKey(s[i], s[i + 1])];
                if (list.empty() || list.back() != index)
                    list.push_back(index);
            }
        }
        if (progress && merges.size() % 64 == 0) {
            progress->throwIfCancelled();
            progress->report({"tokenizer",
                              static_cast<long long>(merges.size()),
                              static_cast<long long>(wanted),
                              "learning BPE merges",
                              {}});
        }
    }
    if (progress)
        progress->report({"tokenizer",
                          static_cast<long long>(merges.size()),
                          static_cast<long long>(merges.size()),
                          "learned " + std::to_string(merges.size()) + " BPE merges",
                          {}});
    return std::make_shared<ClipBpeTokenizer>(std::move(merges));
}

} // namespace poisonlab::clip
