#pragma once

#include "poisonlab/core/distributed/DistributedGroup.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace poisonlab::distributed {

/// Averages the gradients of `parameters` over the ranks in buckets, overlapped with the backward
/// pass, as DistributedDataParallel's reducer does: parameters are grouped in reverse order
/// (the order their gradients arrive) into buckets of about `bucketBytes`; a hook on each
/// parameter's gradient accumulator copies the gradient into its bucket, and a full bucket's
/// all-reduce starts at once (in bucket order on every rank) while the backward pass goes on.
/// finishBackward() starts what is left (a parameter that got no gradient counts as zeros), waits
/// and writes the averages back into the parameters' .grad.
///
/// A parameter must receive its gradient once per backward pass (true of CLIP: each weight is used
/// once per forward); one that receives it twice throws poisonlab::Error.
class GradientBuckets {
public:
    GradientBuckets(std::vector<torch::Tensor> parameters, std::shared_ptr<DistributedGroup> group,
                    std::int64_t bucketBytes = std::int64_t(25) << 20);
    ~GradientBuckets();
    GradientBuckets(const GradientBuckets &) = delete;
    GradientBuckets &operator=(const GradientBuckets &) = delete;

    /// Call before each backward pass.
    void beginBackward();
    /// Call after it: the parameters' .grad then hold the average over the ranks.
    void finishBackward();
    std::size_t bucketCount() const;

private:
    struct State;
    std::shared_ptr<State> m_state;
};

} // namespace poisonlab::distributed
