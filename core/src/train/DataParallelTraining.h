#pragma once

#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/distributed/DistributedGroup.h"
#include "poisonlab/core/distributed/GradientBuckets.h"
#include "poisonlab/core/train/TrainOptions.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace poisonlab::train {

/// The trainer's part in a data-parallel run (docs/distributed.md): the checks before it starts,
/// rank 0's weights on every rank, the loss of the global batch from the ranks' shards, the
/// bucketed gradient average and the collective cancel. Internal to the trainer.
class DataParallelTraining {
public:
    /// Throws poisonlab::Error when the batch (or an epoch's last batch of `pairs` pairs) does not
    /// split among the group's processes; then broadcasts rank 0's weights and hooks the buckets.
    DataParallelTraining(std::shared_ptr<distributed::DistributedGroup> group, const TrainOptions &options,
                         long long pairs, clip::ClipModel &model, const std::vector<torch::Tensor> &trainable);

    /// The global batch's loss from this rank's features (the value every rank reports) and, in
    /// `objective`, what this rank backpropagates so that the gradient average over the ranks is
    /// one process's gradient on the global batch: the gathered batch's loss, or with localLoss
    /// this rank's share times the world size.
    torch::Tensor loss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                       const torch::Tensor &logitScale, long long globalRows, torch::Tensor &objective) const;

    void beginBackward() { m_buckets->beginBackward(); }
    /// The parameters' .grad then hold the average over the ranks.
    void finishBackward() { m_buckets->finishBackward(); }
    /// Whether any rank asks to stop: all stop after the same step.
    bool anyCancelled(bool cancelledHere) const;

    const std::shared_ptr<distributed::DistributedGroup> &group() const { return m_group; }

private:
    std::shared_ptr<distributed::DistributedGroup> m_group;
    bool m_localLoss;
    std::unique_ptr<distributed::GradientBuckets> m_buckets;
};

} // namespace poisonlab::train
