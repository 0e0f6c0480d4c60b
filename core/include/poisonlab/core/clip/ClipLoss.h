#pragma once

#include <torch/types.h>

namespace poisonlab::clip {

/// CLIP's symmetric contrastive loss: L2-normalise both feature sets, logits = exp(logitScale)
/// * image @ text.T, and the mean of the image->text and text->image cross-entropies with the
/// matching pair (the diagonal) as the label.
torch::Tensor clipContrastiveLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                  const torch::Tensor &logitScale);

} // namespace poisonlab::clip

namespace poisonlab::clip {

/// One process's share of the contrastive loss of a batch split across processes (open_clip's
/// `local_loss`): only this shard's rows of logits, [b, N] = its images against every text and
/// its texts against every image, labelled from `offset` (the shard's first row in the global
/// batch). Cross-entropies are summed over the shard and divided by 2N, so the shares of all
/// processes add up to clipContrastiveLoss of the global batch.
torch::Tensor clipContrastiveLossShare(const torch::Tensor &localImages, const torch::Tensor &localTexts,
                                       const torch::Tensor &allImages, const torch::Tensor &allTexts,
                                       std::int64_t offset, const torch::Tensor &logitScale);

} // namespace poisonlab::clip
