#include "poisonlab/core/eval/SimilarityMatrix.h"

#include "RankClones.h"

namespace poisonlab::eval {

std::int64_t countHigher(const float *scores, std::int64_t n, float target)
{
    // This loop is the whole cost of the metrics. Blocks of a constant 64 with a 32-bit counter
    // let GCC's -O2 (very cheap cost model) vectorise it; the remainder is counted one by one.
    std::int64_t count = 0;
    std::int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::int32_t block = 0;
        for (int k = 0; k < 64; ++k)
            block += scores[i + k] > target ? 1 : 0;
        count += block;
    }
    for (; i < n; ++i)
        count += scores[i] > target ? 1 : 0;
    return count;
}

POISONLAB_RANK_CLONES
RankCount countRank(const float *scores, std::int64_t n, float target)
{
    // As countHigher, with a second counter: both comparisons vectorise in the same blocks.
    RankCount c;
    std::int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        std::int32_t higher = 0, equal = 0;
        for (int k = 0; k < 64; ++k) {
            higher += scores[i + k] > target ? 1 : 0;
            equal += scores[i + k] == target ? 1 : 0;
        }
        c.higher += higher;
        c.equal += equal;
    }
    for (; i < n; ++i) {
        c.higher += scores[i] > target ? 1 : 0;
        c.equal += scores[i] == target ? 1 : 0;
    }
    return c;
}

} // namespace poisonlab::eval
