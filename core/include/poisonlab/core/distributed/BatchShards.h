#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace poisonlab::distributed {

/// Rows [begin, end) of a batch of `rows` rows that rank `rank` of `world` takes: the batch is
/// split as evenly as it goes (rank r takes rows floor(r*n/W) up to floor((r+1)*n/W)), so the
/// shards in rank order are the batch in its order.
std::pair<std::int64_t, std::int64_t> shardOf(std::int64_t rows, int rank, int world);
/// The row count of every rank's shard of a batch of `rows` rows.
std::vector<std::int64_t> shardSizes(std::int64_t rows, int world);

} // namespace poisonlab::distributed
