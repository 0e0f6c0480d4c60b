#pragma once

#include <cstdint>
#include <vector>

namespace poisonlab::eval {

/// One entry of a ranking: `index` into the scored items, its score and its rank.
struct RankedItem {
    int index = -1;
    float score = 0;
    std::int64_t rank = 0; ///< 0-based: the number of items scoring strictly higher (countHigher)
};

/// The `k` best of `n` scores, best first (equal scores in index order). Ranks follow the
/// metrics' rule, so equal scores share the better rank and an item's rank here is the one its
/// MinRank / R@K counted. k <= 0 or k > n: all n.
std::vector<RankedItem> topRanked(const float *scores, std::int64_t n, int k);

} // namespace poisonlab::eval
