#include "DataParallelTraining.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipLoss.h"
#include "poisonlab/core/distributed/GatherWithGrad.h"

#include <torch/torch.h>

namespace poisonlab::train {

DataParallelTraining::DataParallelTraining(std::shared_ptr<distributed::DistributedGroup> group,
                                           const TrainOptions &opt, long long pairs, clip::ClipModel &model,
                                           const std::vector<torch::Tensor> &trainable)
    : m_group(std::move(group)), m_localLoss(opt.localLoss)
{
    const int world = m_group->size();
    if (opt.batchSize % world != 0)
        throw Error("training.batchSize " + std::to_string(opt.batchSize) + " does not divide among " +
                    std::to_string(world) + " processes; use a multiple of " + std::to_string(world));
    if (!opt.dropLast && pairs % opt.batchSize != 0 && pairs % opt.batchSize < world)
        throw Error("each epoch's last batch has " + std::to_string(pairs % opt.batchSize) + " pairs, fewer than the " +
                    std::to_string(world) + " processes; set training.dropLast or change batchSize");
    torch::NoGradGuard noGrad;
    for (auto &p : model->parameters())
        m_group->broadcast(p, 0);
    for (auto &b : model->buffers())
        m_group->broadcast(b, 0);
    const auto bytes = std::int64_t(opt.bucketMegabytes * 1024 * 1024);
    m_buckets = std::make_unique<distributed::GradientBuckets>(trainable, m_group, std::max<std::int64_t>(bytes, 1));
}

torch::Tensor DataParallelTraining::loss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                         const torch::Tensor &logitScale, long long globalRows,
                                         torch::Tensor &objective) const
{
    const std::vector<std::int64_t> rows = distributed::shardSizes(globalRows, m_group->size());
    const torch::Tensor allImages = distributed::gatherWithGrad(imageFeatures, m_group, rows);
    const torch::Tensor allTexts = distributed::gatherWithGrad(textFeatures, m_group, rows);
    if (!m_localLoss) {
        objective = clip::clipContrastiveLoss(allImages, allTexts, logitScale); // the same on every rank
        return objective;
    }
    const std::int64_t offset = distributed::shardOf(globalRows, m_group->rank(), m_group->size()).first;
    const torch::Tensor share =
        clip::clipContrastiveLossShare(imageFeatures, textFeatures, allImages, allTexts, offset, logitScale);
    objective = share * double(m_group->size());
    torch::Tensor total = share.detach().clone();
    m_group->allReduceSum(total); // the shares add up to the global batch's loss
    return total;
}

bool DataParallelTraining::anyCancelled(bool cancelledHere) const
{
    torch::Tensor flag =
        torch::tensor({cancelledHere ? 1.0f : 0.0f}, torch::TensorOptions(torch::kFloat32).device(m_group->device()));
    m_group->allReduceSum(flag);
    return flag.item<float>() > 0;
}

} // namespace poisonlab::train
