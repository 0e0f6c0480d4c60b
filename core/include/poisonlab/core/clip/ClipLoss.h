#pragma once

#include <torch/types.h>

namespace poisonlab::clip {

/// CLIP's symmetric contrastive loss: L2-normalise both feature sets, logits = exp(logitScale)
/// * image @ text.T, and the mean of the image->text and text->image cross-entropies with the
/// matching pair (the diagonal) as the label.
torch::Tensor clipContrastiveLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                  const torch::Tensor &logitScale);

} // namespace poisonlab::clip
