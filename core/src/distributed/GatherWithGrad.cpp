#include "poisonlab/core/distributed/GatherWithGrad.h"

#include <torch/torch.h>

#include <numeric>

namespace poisonlab::distributed {

torch::Tensor gatherWithGrad(const torch::Tensor &local, const std::shared_ptr<DistributedGroup> &group,
                             const std::vector<std::int64_t> &rows)
{
    const torch::Tensor all = group->allGatherRows(local.detach(), rows);
    const std::int64_t offset = std::accumulate(rows.begin(), rows.begin() + group->rank(), std::int64_t(0));
    const std::int64_t after = offset + local.size(0);
    // The others' rows are constants here; this rank's rows stay `local` itself, so the gradient
    // of the concatenation reaches the local graph. The hook turns that gradient into the sum
    // over ranks (a reduce-scatter done as an all-reduce: the shards are small).
    std::vector<torch::Tensor> pieces;
    if (offset > 0)
        pieces.push_back(all.narrow(0, 0, offset));
    pieces.push_back(local);
    if (after < all.size(0))
        pieces.push_back(all.narrow(0, after, all.size(0) - after));
    torch::Tensor gathered = torch::cat(pieces);
    if (gathered.requires_grad())
        gathered.register_hook([group](torch::Tensor grad) {
            torch::Tensor sum = grad.contiguous().clone();
            group->allReduceSum(sum);
            return sum;
        });
    return gathered;
}

} // namespace poisonlab::distributed
