#include "poisonlab/core/distributed/BatchShards.h"

namespace poisonlab::distributed {

std::pair<std::int64_t, std::int64_t> shardOf(std::int64_t rows, int rank, int world)
{
    return {rows * rank / world, rows * (rank + 1) / world};
}

std::vector<std::int64_t> shardSizes(std::int64_t rows, int world)
{
    std::vector<std::int64_t> sizes;
    for (int r = 0; r < world; ++r) {
        const auto [begin, end] = shardOf(rows, r, world);
        sizes.push_back(end - begin);
    }
    return sizes;
}

} // namespace poisonlab::distributed
