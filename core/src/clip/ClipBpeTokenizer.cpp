#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include "clip/BpeVocabFiles.h"
#include "clip/ClipTextCleaner.h"
#include "clip/Utf8.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <limits>
#include <mutex>

namespace poisonlab::clip {
namespace fs = std::filesystem;

namespace {

// Words are few (a caption has ~10); the cache only needs a bound against unbounded corpora.
constexpr std::size_t kMaxCachedWords = 1 << 18;
const std::string kEndOfWord = "</w>";

// simple_tokenizer.bytes_to_unicode(): printable bytes stand for themselves, the others are
// shifted to U+0100 onwards. order[i] is the byte of vocabulary id i.
struct ByteAlphabet {
    std::array<uint8_t, 256> order{};
    std::array<std::string, 256> symbols{}; // UTF-8, in id order
    std::array<int, 324> byteOfCodePoint{}; // inverse: code point -> byte, -1 when none

    ByteAlphabet()
    {
        std::array<char32_t, 256> codePointOf{};
        std::array<bool, 256> printable{};
        int n = 0;
        auto add = [&](int from, int to) {
            for (int b = from; b <= to; ++b) {
                printable[b] = true;
                order[n++] = static_cast<uint8_t>(b);
            }
        };
        add('!', '~');
        add(0xA1, 0xAC);
        add(0xAE, 0xFF);
        for (int b = 0; b < 256; ++b)
            codePointOf[b] = static_cast<char32_t>(b);
        int shifted = 0;
        for (int b = 0; b < 256; ++b) {
            if (!printable[b]) {
                order[n++] = static_cast<uint8_t>(b);
                codePointOf[b] = static_cast<char32_t>(256 + shifted++);
            }
        }
        byteOfCodePoint.fill(-1);
        for (int i = 0; i < 256; ++i) {
            const uint8_t b = order[i];
            utf8::append(symbols[i], codePointOf[b]);
            byteOfCodePoint[codePointOf[b]] = b;
        }
    }
};

const ByteAlphabet &byteAlphabet()
{
    static const ByteAlphabet alphabet;
    return alphabet;
}

uint64_t pairKey(int32_t a, int32_t b)
{
    return (static_cast<uint64_t>(static_cast<uint32_t>(a)) << 32) | static_cast<uint32_t>(b);
}

} // namespace

const std::array<std::string, 256> &ClipBpeTokenizer::byteSymbols()
{
    return byteAlphabet().symbols;
}

uint8_t ClipBpeTokenizer::byteOfSymbolIndex(int index)
{
    return byteAlphabet().order.at(static_cast<std::size_t>(index));
}

ClipBpeTokenizer::ClipBpeTokenizer(std::vector<Merge> merges) : m_merges(std::move(merges))
{
    const auto &symbols = byteSymbols();
    m_tokens.reserve(512 + m_merges.size() + 2);
    for (const auto &s : symbols)
        m_tokens.push_back(s);
    for (const auto &s : symbols)
        m_tokens.push_back(s + kEndOfWord);
    for (std::size_t i = 0; i < m_merges.size(); ++i) {
        const auto &[a, b] = m_merges[i];
        if (a.empty() || b.empty())
            throw Error("BPE merge " + std::to_string(i + 1) + " has an empty half");
        m_tokens.push_back(a + b);
    }
    m_tokens.emplace_back(kStartText);
    m_tokens.emplace_back(kEndText);
    // dict(zip(vocab, range(len(vocab)))): a string listed twice keeps its last id.
    for (std::size_t i = 0; i < m_tokens.size(); ++i)
        m_ids.insert_or_assign(m_tokens[i], static_cast<int32_t>(i));
    buildIndex({});
}

ClipBpeTokenizer::ClipBpeTokenizer(const std::vector<std::pair<std::string, int64_t>> &vocab, std::vector<Merge> merges,
                                   const fs::path &source)
    : m_merges(std::move(merges))
{
    const auto fail = [&](const std::string &problem) -> Error {
        return source.empty() ? Error(problem) : Error(source, problem);
    };
    int64_t maxId = -1;
    for (const auto &entry : vocab)
        maxId = std::max(maxId, entry.second);
    if (maxId < 0 || maxId >= std::numeric_limits<int32_t>::max())
        throw fail("the vocabulary is empty or its ids are out of range");
    m_tokens.assign(static_cast<std::size_t>(maxId) + 1, std::string());
    std::vector<bool> used(m_tokens.size(), false);
    for (const auto &[token, id] : vocab) {
        if (token.empty())
            throw fail("the vocabulary has an empty token (id " + std::to_string(id) + ")");
        if (used[static_cast<std::size_t>(id)])
            throw fail("id " + std::to_string(id) + " is given to both '" + m_tokens[static_cast<std::size_t>(id)] +
                       "' and '" + token + "'");
        used[static_cast<std::size_t>(id)] = true;
        m_tokens[static_cast<std::size_t>(id)] = token;
        m_ids.insert_or_assign(token, static_cast<int32_t>(id));
    }
    buildIndex(source);
}

void ClipBpeTokenizer::buildIndex(const fs::path &source)
{
    const auto fail = [&](const std::string &problem) -> Error {
        return source.empty() ? Error(problem) : Error(source, problem);
    };
    const auto idOf = [&](const std::string &token) -> int32_t {
        auto it = m_ids.find(token);
        if (it == m_ids.end())
            throw fail("the vocabulary lacks '" + token + "', which CLIP's byte-level BPE needs");
        return it->second;
    };
    const auto &alphabet = byteAlphabet();
    for (int i = 0; i < 256; ++i) {
        const uint8_t b = alphabet.order[i];
        m_byteId[b] = idOf(alphabet.symbols[i]);
        m_byteEndId[b] = idOf(alphabet.symbols[i] + kEndOfWord);
    }
    m_startId = idOf(kStartText);
    m_endId = idOf(kEndText);
    m_ranks.reserve(m_merges.size());
    for (std::size_t rank = 0; rank < m_merges.size(); ++rank) {
        const auto &[a, b] = m_merges[rank];
        auto ia = m_ids.find(a), ib = m_ids.find(b);
        if (ia == m_ids.end() || ib == m_ids.end())
            continue; // a half that is no token can never be formed, so the merge never applies
        auto merged = m_ids.find(a + b);
        if (merged == m_ids.end())
            throw fail("merge " + std::to_string(rank + 1) + " '" + a + " " + b + "' makes '" + a + b +
                       "', which is not in the vocabulary");
        // dict(zip(merges, range(len(merges)))): a pair listed twice keeps its last rank.
        m_ranks.insert_or_assign(pairKey(ia->second, ib->second),
                                 MergeRule{static_cast<int32_t>(rank), merged->second});
    }
}

std::shared_ptr<ClipBpeTokenizer> ClipBpeTokenizer::fromMergesFile(const fs::path &path)
{
    const std::string text = bpefiles::readMaybeGzipped(path);
    auto merges = bpefiles::parseMerges(path, text, bpefiles::kOpenAiMergeCount);
    try {
        return std::make_shared<ClipBpeTokenizer>(std::move(merges));
    } catch (const Error &e) {
        throw Error(path, e.what());
    }
}

std::shared_ptr<ClipBpeTokenizer> ClipBpeTokenizer::fromVocabAndMerges(const fs::path &vocabJson,
                                                                       const fs::path &mergesTxt)
{
    auto vocab = bpefiles::readVocabJson(vocabJson);
    const std::string text = readFile(mergesTxt);
    auto merges = bpefiles::parseMerges(mergesTxt, text, std::numeric_limits<std::size_t>::max());
    return std::make_shared<ClipBpeTokenizer>(vocab, std::move(merges), vocabJson);
}

void ClipBpeTokenizer::bpe(const std::string &word, std::vector<int32_t> &out) const
{
    if (word == kStartText || word == kEndText) { // simple_tokenizer seeds its cache with these
        out.push_back(static_cast<int32_t>(word == kStartText ? m_startId : m_endId));
        return;
    }
    {
        std::shared_lock lock(m_cacheMutex);
        auto it = m_cache.find(word);
        if (it != m_cache.end()) {
            out.insert(out.end(), it->second.begin(), it->second.end());
            return;
        }
    }
    std::vector<int32_t> symbols(word.size());
    for (std::size_t i = 0; i < word.size(); ++i) {
        const auto b = static_cast<uint8_t>(word[i]);
        symbols[i] = i + 1 == word.size() ? m_byteEndId[b] : m_byteId[b];
    }
    std::size_t n = symbols.size();
    // Merge the lowest-ranked adjacent pair everywhere (left to right), until none is known.
    while (n >= 2) {
        int32_t bestRank = std::numeric_limits<int32_t>::max();
        const MergeRule *best = nullptr;
        int32_t first = 0, second = 0;
        for (std::size_t i = 0; i + 1 < n; ++i) {
            auto it = m_ranks.find(pairKey(symbols[i], symbols[i + 1]));
            if (it != m_ranks.end() && it->second.rank < bestRank) {
                bestRank = it->second.rank;
                best = &it->second;
                first = symbols[i];
                second = symbols[i + 1];
            }
        }
        if (!best)
            break;
        std::size_t j = 0;
        for (std::size_t i = 0; i < n;) {
            if (i + 1 < n && symbols[i] == first && symbols[i + 1] == second) {
                symbols[j++] = best->result;
                i += 2;
            } else {
                symbols[j++] = symbols[i++];
            }
        }
        n = j;
    }
    symbols.resize(n);
    out.insert(out.end(), symbols.begin(), symbols.end());
    std::unique_lock lock(m_cacheMutex);
    if (m_cache.size() >= kMaxCachedWords)
        m_cache.clear();
    m_cache.emplace(word, std::move(symbols));
}

std::vector<int64_t> ClipBpeTokenizer::encode(std::string_view text) const
{
    const std::u32string clean = cleanClipText(text);
    std::vector<std::u32string_view> words;
    splitClipWords(clean, words);
    std::vector<int32_t> pieces;
    pieces.reserve(clean.size());
    std::string word;
    for (std::u32string_view w : words) {
        word.clear();
        for (char32_t c : w)
            utf8::append(word, c);
        bpe(word, pieces);
    }
    return std::vector<int64_t>(pieces.begin(), pieces.end());
}

const std::string &ClipBpeTokenizer::tokenString(int64_t id) const
{
    static const std::string none;
    if (id < 0 || id >= vocabSize())
        return none;
    return m_tokens[static_cast<std::size_t>(id)];
}

std::string ClipBpeTokenizer::decode(const std::vector<int64_t> &ids) const
{
    std::string joined;
    for (int64_t id : ids) {
        const std::string &token = tokenString(id);
        if (token.empty())
            throw Error("cannot decode token id " + std::to_string(id) + ": not in the vocabulary (size " +
                        std::to_string(vocabSize()) + ")");
        joined += token;
    }
    // Byte-level characters back to bytes, then bytes to text (errors="replace").
    const auto &alphabet = byteAlphabet();
    std::string bytes;
    bytes.reserve(joined.size());
    for (char32_t c : utf8::decode(joined)) {
        const int b = c < alphabet.byteOfCodePoint.size() ? alphabet.byteOfCodePoint[c] : -1;
        if (b >= 0)
            bytes.push_back(static_cast<char>(b));
        else
            utf8::append(bytes, c); // not from the byte alphabet (a foreign vocabulary): keep it
    }
    std::string text = utf8::encode(utf8::decode(bytes));
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        if (text.compare(i, kEndOfWord.size(), kEndOfWord) == 0) {
            out.push_back(' ');
            i += kEndOfWord.size();
        } else {
            out.push_back(text[i++]);
        }
    }
    // OpenAI's decode leaves the last word's separator; Hugging Face's strips it, as we do.
    while (!out.empty() && out.back() == ' ')
        out.pop_back();
    return out;
}

void ClipBpeTokenizer::save(const fs::path &folder) const
{
    // Written by hand in id order: an ordered_json object inserts in linear time per key.
    std::string vocabText = "{";
    for (std::size_t id = 0; id < m_tokens.size(); ++id) {
        const std::string &token = m_tokens[id];
        auto it = m_ids.find(token);
        if (token.empty() || it == m_ids.end() || it->second != static_cast<int32_t>(id))
            continue;
        if (vocabText.size() > 1)
            vocabText += ", ";
        vocabText += nlohmann::json(token).dump();
        vocabText += ": ";
        vocabText += std::to_string(id);
    }
    vocabText += "}\n";
    std::string merges = "#version: 0.2\n";
    for (const auto &[a, b] : m_merges) {
        merges += a;
        merges += ' ';
        merges += b;
        merges += '\n';
    }
    writeFileAtomically(folder / "vocab.json", vocabText);
    writeFileAtomically(folder / "merges.txt", merges);
}

std::vector<std::string> ClipBpeTokenizer::preTokenize(std::string_view text)
{
    const std::u32string clean = cleanClipText(text);
    std::vector<std::u32string_view> words;
    splitClipWords(clean, words);
    std::vector<std::string> out;
    out.reserve(words.size());
    const auto &alphabet = byteAlphabet();
    std::array<int, 256> indexOfByte{};
    for (int i = 0; i < 256; ++i)
        indexOfByte[alphabet.order[i]] = i;
    for (std::u32string_view w : words) {
        const std::string bytes = utf8::encode(w);
        std::string symbols;
        for (char c : bytes)
            symbols += alphabet.symbols[indexOfByte[static_cast<uint8_t>(c)]];
        out.push_back(std::move(symbols));
    }
    return out;
}

std::string ClipBpeTokenizer::normalize(std::string_view text)
{
    return utf8::encode(cleanClipText(text));
}

} // namespace poisonlab::clip
