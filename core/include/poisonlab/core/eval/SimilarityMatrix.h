#pragma once

#include "poisonlab/core/eval/Ties.h"

#include <algorithm>
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

/// Scores strictly higher than a target, and scores equal to it (the target's own included).
struct RankCount {
    std::int64_t higher = 0;
    std::int64_t equal = 0;

    /// Items tied with the target other than the `selfTied` target items that score equal to
    /// it (the target itself, or every target at the best score): the places the target can
    /// lose to an arbitrary order of equal scores. > 0: the query "has a tie at its rank".
    std::int64_t tiedOthers(std::int64_t selfTied) const { return std::max<std::int64_t>(0, equal - selfTied); }
    /// The 0-based rank under `ties`: higher, plus the tied others when pessimistic.
    std::int64_t rank(Ties ties, std::int64_t selfTied) const
    {
        return ties == Ties::Pessimistic ? higher + tiedOthers(selfTied) : higher;
    }
};

/// countHigher and the count of equal scores in one pass (the same vectorised loop).
RankCount countRank(const float *scores, std::int64_t n, float target);

} // namespace poisonlab::eval
