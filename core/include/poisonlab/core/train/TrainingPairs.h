#pragma once

#include <torch/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace poisonlab::data {
struct Dataset;
}

namespace poisonlab::train {

/// Turns texts into row-major, zero-padded token ids [texts.size() * contextLength]; bind the CLIP
/// tokenizer here (e.g. [&](auto &t, int L) { return tokenizer.tokenizeBatch(t, L); }).
using TokenizeFn = std::function<std::vector<std::int64_t>(const std::vector<std::string> &texts, int contextLength)>;

/// The image-caption pairs a run trains on: pair i is (image images[i], token row i).
struct TrainingPairs {
    std::vector<int> images;   ///< image id per pair (what the ImageSource loads)
    std::vector<int> captions; ///< caption index per pair in the dataset (for records; may be empty)
    torch::Tensor tokens;      ///< int64 [N, L]

    std::size_t size() const { return images.size(); }
};

/// Pairs for the given caption indices of a dataset (each caption with CaptionRecord::image, i.e.
/// the possibly poisoned image). Throws poisonlab::Error on an empty list or a bad index.
TrainingPairs makeTrainingPairs(const data::Dataset &dataset, const std::vector<int> &captions,
                                const TokenizeFn &tokenize, int contextLength);

} // namespace poisonlab::train
