#include "poisonlab/core/eval/RetrievalRanking.h"

#include "poisonlab/core/eval/SimilarityMatrix.h"

#include <algorithm>
#include <numeric>

namespace poisonlab::eval {

std::vector<RankedItem> topRanked(const float *scores, std::int64_t n, int k, Ties ties)
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
    if (ties == Ties::Pessimistic && !out.empty()) {
        // Each item of a group of equal scores takes the group's last place. Only the last group
        // of the prefix can continue past it (the rest is unsorted): count its size in full.
        const float last = out.back().score;
        const RankCount lastGroup = countRank(scores, n, last);
        for (std::size_t p = 0; p < out.size();) {
            std::size_t q = p + 1; // (a NaN equals nothing, itself included)
            while (q < out.size() && out[q].score == out[p].score)
                ++q;
            const std::int64_t size = out[p].score == last ? lastGroup.equal : std::int64_t(q - p);
            const std::int64_t worst = out[p].rank + std::max<std::int64_t>(0, size - 1);
            for (std::size_t r = p; r < q; ++r)
                out[r].rank = worst;
            p = q;
        }
    }
    return out;
}

} // namespace poisonlab::eval
