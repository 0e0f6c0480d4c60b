#include "poisonlab/core/eval/SimilarityMatrix.h"

namespace poisonlab::eval {

std::int64_t countHigher(const float *scores, std::int64_t n, float target)
{
    // A branch-free count the compiler vectorises; this loop is the whole cost of the metrics.
    std::int64_t count = 0;
    for (std::int64_t i = 0; i < n; ++i)
        count += scores[i] > target ? 1 : 0;
    return count;
}

} // namespace poisonlab::eval
