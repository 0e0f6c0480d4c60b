#include "poisonlab/core/eval/RetrievalRanking.h"

#include <algorithm>
#include <numeric>

namespace poisonlab::eval {

std::vector<RankedItem> topRanked(const float *scores, std::int64_t n, int k)
{
    const std::int64_t count = (k <= 0 || k > n) ? n : k;
    std::vector<int> order(static_cast<std::size_t>(n));
    std::iota(order.begin(), order.end(), 0);
    auto better = [scores](int a, int b) { return scores[a] > scores[b] || (scores[a] == scores[b] && a < b); };
    std::partial_sort(order.begin(), order.begin() + count, order.end(), better);
    std::vector<RankedItem> out;
    out.reserve(static_cast<std::size_t>(count));
    for (std::int64_t p = 0; p < count; ++p) {
        const int i = order[static_cast<std::size_t>(p)];
        // Everything scoring strictly higher sorts before i, so its rank is the position of the
        // first entry with i's score (which lies within the sorted prefix).
        std::int64_t rank = p;
        if (p > 0 && scores[out.back().index] == scores[i])
            rank = out.back().rank;
        out.push_back({i, scores[i], rank});
    }
    return out;
}

} // namespace poisonlab::eval
