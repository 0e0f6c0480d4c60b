#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace poisonlab::eval {

/// A read-only, row-major float32 view of a similarity matrix: rows are captions (queries of
/// image retrieval), columns are gallery images; element (c, i) = <text_c, image_i> of
/// L2-normalised embeddings. The memory is owned elsewhere (a torch tensor, a .npy buffer...).
struct SimilarityView {
    const float *data = nullptr;
    std::int64_t rows = 0; ///< captions
    std::int64_t cols = 0; ///< images
    const float *row(std::int64_t r) const { return data + r * cols; }
    float at(std::int64_t r, std::int64_t c) const { return data[r * cols + c]; }
};

/// Rank of a target score among `n` scores: the number of scores strictly higher than it.
/// 0-based, and ties count in the target's favour (an equal score does not push it down), so the
/// result does not depend on any sort order.
std::int64_t countHigher(const float *scores, std::int64_t n, float target);

} // namespace poisonlab::eval
