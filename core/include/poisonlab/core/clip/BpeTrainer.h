#pragma once

#include "poisonlab/core/clip/ClipBpeTokenizer.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace poisonlab {
class ProgressReporter;
}

namespace poisonlab::clip {

struct BpeTrainerOptions {
    /// Target vocabulary size, counting the 512 byte symbols and the 2 special tokens.
    int64_t vocabSize = 4096;
    /// Training stops early when the most frequent pair occurs fewer times than this.
    int64_t minPairCount = 2;
};

/// Learns a byte-level BPE in CLIP's form (same clean-up and pre-tokeniser, words ending in
/// "</w>", special tokens last) from a corpus of captions. Deterministic: the most frequent pair
/// is merged first, ties go to the pair whose symbols have the smaller ids, so the same corpus
/// gives the same merges whatever order the texts came in.
class BpeTrainer {
public:
    explicit BpeTrainer(BpeTrainerOptions options = {});

    /// Counts the words of one caption.
    void addText(std::string_view text);
    void addTexts(const std::vector<std::string> &texts);
    /// Distinct words counted so far.
    std::size_t distinctWords() const { return m_wordCounts.size(); }

    /// Learns merges until the target size (or no pair is frequent enough). Polls `progress`
    /// for cancellation (throws CancelledError). Throws poisonlab::Error for a target below 514.
    std::shared_ptr<ClipBpeTokenizer> train(ProgressReporter *progress = nullptr) const;

private:
    BpeTrainerOptions m_options;
    std::unordered_map<std::string, int64_t> m_wordCounts; // byte-level word -> occurrences
};

} // namespace poisonlab::clip
