#pragma once

#include "poisonlab/core/distributed/DistributedGroup.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace poisonlab::distributed {

/// Every rank's rows of `local` concatenated in rank order (rank r holds rows[r] rows), and
/// differentiable as open_clip's `gather_with_grad` (torch.distributed.nn.all_gather): the
/// backward pass sums the gradient every rank computed for the gathered tensor and hands rank r
/// its rows of that sum. A loss every rank computes on the gathered batch therefore sends each
/// shard the gradient one process would compute on the whole batch (times the world size, which
/// the gradient average divides out).
torch::Tensor gatherWithGrad(const torch::Tensor &local, const std::shared_ptr<DistributedGroup> &group,
                             const std::vector<std::int64_t> &rows);

} // namespace poisonlab::distributed
