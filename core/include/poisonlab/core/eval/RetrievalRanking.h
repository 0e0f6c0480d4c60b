#pragma once

#include "poisonlab/core/eval/Ties.h"

#include <cstdint>
#include <vector>

namespace poisonlab::eval {

/// One entry of a ranking: `index` into the scored items, its score and its rank.
struct RankedItem {
    int index = -1;
    float score = 0;
    /// 0-based, by the metrics' rule: the number of items scoring strictly higher (optimistic), or
    /// of the other items scoring higher or equal (pessimistic)
    std::int64_t rank = 0;
};

/// The `k` best of `n` scores, best first (equal scores in index order). Ranks follow the
/// metrics' rule `ties`, so equal scores share the better rank (optimistic) or the worse one
/// (pessimistic), and an item's rank here is the one its R@K counted. k <= 0 or k > n: all n.
std::vector<RankedItem> topRanked(const float *scores, std::int64_t n, int k, Ties ties = Ties::Optimistic);

} // namespace poisonlab::eval
