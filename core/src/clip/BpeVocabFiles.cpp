#include "clip/BpeVocabFiles.h"

#include "clip/Utf8.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>
#include <zlib.h>

#include <algorithm>

namespace poisonlab::clip::bpefiles {
namespace fs = std::filesystem;

namespace {

// Vocabularies of real models have < 300k entries; a larger id is a broken file, not a model.
constexpr int64_t kMaxTokenId = 16'000'000;

bool isGzipData(std::string_view bytes)
{
    return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1F &&
           static_cast<unsigned char>(bytes[1]) == 0x8B;
}

std::string gunzip(const fs::path &path, std::string_view compressed)
{
    z_stream zs{};
    if (inflateInit2(&zs, 15 + 16) != Z_OK) // 16: gzip wrapper
        throw Error(path, "cannot start gzip decompression");
    std::string out;
    out.reserve(compressed.size() * 4);
    zs.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    char buffer[1 << 16];
    int rc = Z_OK;
    while (true) {
        zs.next_out = reinterpret_cast<Bytef *>(buffer);
        zs.avail_out = sizeof buffer;
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - zs.avail_out);
        if (rc == Z_STREAM_END) {
            if (zs.avail_in == 0)
                break;
            inflateReset(&zs); // concatenated gzip members, as `cat a.gz b.gz` makes
            continue;
        }
        if (rc != Z_OK) {
            const std::string why =
                zs.msg ? zs.msg : (rc == Z_BUF_ERROR ? "data ends early" : "error " + std::to_string(rc));
            inflateEnd(&zs);
            throw Error(path, "corrupt gzip data (" + why + ")");
        }
        if (zs.avail_in == 0 && zs.avail_out != 0) {
            inflateEnd(&zs);
            throw Error(path, "corrupt gzip data (the file ends before the compressed stream does)");
        }
    }
    inflateEnd(&zs);
    return out;
}

std::string excerpt(std::string_view s)
{
    constexpr std::size_t kMax = 60;
    std::string q = "'" + std::string(s.substr(0, kMax)) + (s.size() > kMax ? "...'" : "'");
    return q;
}

bool isAsciiSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

} // namespace

std::string readMaybeGzipped(const fs::path &path)
{
    std::string bytes = readFile(path);
    if (isGzipData(bytes))
        return gunzip(path, bytes);
    if (path.extension() == ".gz")
        throw Error(path, "not gzip data (the name ends in .gz but the file does not start with gzip's magic bytes)");
    return bytes;
}

std::vector<ClipBpeTokenizer::Merge> parseMerges(const fs::path &path, std::string_view text, std::size_t maxMerges)
{
    if (text.empty())
        throw Error(path, "empty file; expected a '#version' header line followed by BPE merges");
    if (!utf8::isValid(text))
        throw Error(path, "not UTF-8 text; expected BPE merges (is it a binary or differently encoded file?)");
    std::size_t pos = text.find('\n');
    const std::string_view header = text.substr(0, pos);
    if (header.find("#version") == std::string_view::npos)
        throw Error(path, "line 1: expected a '#version: ...' header line, found " + excerpt(header) +
                              " (is this a BPE merges file?)");
    std::vector<ClipBpeTokenizer::Merge> merges;
    std::size_t lineNumber = 1;
    std::size_t pendingEmpty = 0; // empty lines are fine at the end of the file only
    while (pos != std::string_view::npos && merges.size() < maxMerges) {
        const std::size_t start = pos + 1;
        pos = text.find('\n', start);
        const std::string_view line = text.substr(start, pos == std::string_view::npos ? pos : pos - start);
        ++lineNumber;
        // Python's str.split(): runs of white space separate, ends are ignored.
        std::vector<std::string_view> parts;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && isAsciiSpace(line[i]))
                ++i;
            std::size_t j = i;
            while (j < line.size() && !isAsciiSpace(line[j]))
                ++j;
            if (j > i)
                parts.push_back(line.substr(i, j - i));
            i = j;
        }
        if (parts.empty()) {
            ++pendingEmpty;
            continue;
        }
        if (pendingEmpty > 0)
            throw Error(path, "line " + std::to_string(lineNumber - 1) + ": empty line between merges");
        if (parts.size() != 2)
            throw Error(path, "line " + std::to_string(lineNumber) + ": malformed merge " + excerpt(line) +
                                  "; expected two symbols separated by a space");
        merges.emplace_back(std::string(parts[0]), std::string(parts[1]));
    }
    if (merges.empty())
        throw Error(path, "no merges after the header line");
    return merges;
}

std::vector<std::pair<std::string, int64_t>> readVocabJson(const fs::path &path)
{
    const nlohmann::json json = readJsonFile(path);
    if (!json.is_object())
        throw Error(path, std::string("expected a JSON object mapping token strings to ids, found ") +
                              (json.is_array() ? "an array" : json.type_name()));
    if (json.empty())
        throw Error(path, "the vocabulary is empty");
    std::vector<std::pair<std::string, int64_t>> vocab;
    vocab.reserve(json.size());
    for (auto it = json.begin(); it != json.end(); ++it) {
        const nlohmann::json &id = it.value();
        if (!id.is_number_integer() || id.get<int64_t>() < 0 || id.get<int64_t>() > kMaxTokenId)
            throw Error(path, "token " + excerpt(it.key()) + " has id " + id.dump() +
                                  "; expected an integer from 0 to " + std::to_string(kMaxTokenId));
        vocab.emplace_back(it.key(), id.get<int64_t>());
    }
    // The tokenizer keeps a table indexed by id: ids must number the tokens without gaps, so a
    // file of a few bytes cannot make it allocate millions of entries.
    const auto highest =
        std::max_element(vocab.begin(), vocab.end(), [](const auto &a, const auto &b) { return a.second < b.second; });
    if (static_cast<std::size_t>(highest->second) >= vocab.size())
        throw Error(path, "token " + excerpt(highest->first) + " has id " + std::to_string(highest->second) +
                              " but the vocabulary holds " + std::to_string(vocab.size()) +
                              " tokens; ids must number them from 0 to " + std::to_string(vocab.size() - 1));
    return vocab;
}

} // namespace poisonlab::clip::bpefiles
