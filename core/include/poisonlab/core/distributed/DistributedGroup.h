#pragma once

#include "poisonlab/core/distributed/BatchShards.h"
#include "poisonlab/core/distributed/DistributedEnvironment.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::distributed {

struct GroupOptions {
    /// Every collective and the rendezvous give up after this long, so a rank that died or
    /// cannot reach the store ends the others' waits with an error instead of a hang.
    std::chrono::milliseconds timeout = std::chrono::minutes(10);
    std::string device = "cpu"; ///< "cpu" joins through Gloo, "cuda[:N]" through NCCL (CUDA builds)
};

/// One process's membership of a data-parallel job: a c10d TCPStore rendezvous and a
/// ProcessGroupGloo (CPU) or ProcessGroupNCCL (CUDA) — PyTorch's own collectives, so a job runs
/// wherever torch.distributed runs. Shared between the trainer, the evaluator and the runner
/// through shared_ptr; collectives must be called in the same order on every rank.
class DistributedGroup {
public:
    /// Joins the group `env` describes; rank 0 hosts the store. Throws poisonlab::Error naming
    /// the master address when the store cannot be reached within the timeout.
    static std::shared_ptr<DistributedGroup> join(const DistributedEnvironment &env, const GroupOptions &options = {});
    ~DistributedGroup();
    DistributedGroup(const DistributedGroup &) = delete;
    DistributedGroup &operator=(const DistributedGroup &) = delete;

    int rank() const;
    int size() const;
    const DistributedEnvironment &environment() const;
    std::string backendName() const; ///< "gloo" or "nccl"
    /// Where the group's tensors live: the CPU for Gloo, this rank's GPU for NCCL.
    torch::Device device() const;

    /// Sums `tensor` over the ranks in place (blocking).
    void allReduceSum(torch::Tensor &tensor);
    /// Starts a sum over the ranks in place; wait() on the result before reading `tensor`.
    c10::intrusive_ptr<c10d::Work> allReduceSumAsync(torch::Tensor &tensor);
    /// Every rank's `tensor` (all of the same shape), in rank order.
    std::vector<torch::Tensor> allGather(const torch::Tensor &tensor);
    /// Rows of every rank concatenated in rank order; rank r contributes rows[r] rows (shapes may
    /// differ in the first dimension only). No gradient.
    torch::Tensor allGatherRows(const torch::Tensor &local, const std::vector<std::int64_t> &rows);
    void broadcast(torch::Tensor &tensor, int root = 0);
    /// `value` as rank `root` has it, on every rank.
    bool broadcastFlag(bool value, int root = 0);
    void barrier();

    /// Checks that every rank holds the same `value` for `what` (e.g. the config's hash);
    /// throws poisonlab::Error naming the first rank that differs from rank 0.
    void checkSameEverywhere(const std::string &what, const std::string &value);
    /// Ends a phase that may fail on some ranks (reading data, creating the run directory): every
    /// rank says whether it succeeded; if any did not, every rank throws poisonlab::Error with the
    /// failed rank's message, so no rank waits for a collective its peers never start.
    void agree(const std::string &phase, const std::optional<std::string> &failure);

private:
    DistributedGroup();
    class Impl;
    std::unique_ptr<Impl> d;
};

} // namespace poisonlab::distributed
