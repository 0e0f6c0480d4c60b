#pragma once

// Reading the two vocabulary layouts CLIP's BPE comes in (OpenAI's merges file, Hugging Face's
// vocab.json + merges.txt). Every problem is a poisonlab::Error naming the file.

#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poisonlab::clip::bpefiles {

/// OpenAI's simple_tokenizer uses this many merge lines after the header: 49152 - 256 - 2 + 1.
constexpr std::size_t kOpenAiMergeCount = 48894;

/// The file's bytes, inflated when it is gzip data (by its magic bytes; a ".gz" name that is
/// not gzip data is an error).
std::string readMaybeGzipped(const std::filesystem::path &path);

/// The merges of a merges file's text: a "#version" header line, then "a b" lines (at most
/// `maxMerges` of them are used; trailing empty lines are ignored).
std::vector<ClipBpeTokenizer::Merge> parseMerges(const std::filesystem::path &path, std::string_view text,
                                                 std::size_t maxMerges);

/// vocab.json: a JSON object mapping token strings to non-negative integer ids.
std::vector<std::pair<std::string, int64_t>> readVocabJson(const std::filesystem::path &path);

} // namespace poisonlab::clip::bpefiles
