#include "poisonlab/core/clip/ClipLoss.h"

#include <ATen/ATen.h>

namespace poisonlab::clip {

torch::Tensor clipContrastiveLoss(const torch::Tensor &imageFeatures, const torch::Tensor &textFeatures,
                                  const torch::Tensor &logitScale)
{
    TORCH_CHECK(imageFeatures.dim() == 2 && imageFeatures.sizes() == textFeatures.sizes(),
                "clipContrastiveLoss expects two [B, D] feature sets, got ", imageFeatures.sizes(), " and ",
                textFeatures.sizes());
    const torch::Tensor img = imageFeatures / imageFeatures.norm(2, -1, true);
    const torch::Tensor txt = textFeatures / textFeatures.norm(2, -1, true);
    const torch::Tensor logitsPerImage = at::mm(img, txt.t()) * logitScale.exp();
    const torch::Tensor labels = torch::arange(img.size(0), torch::dtype(torch::kLong).device(img.device()));
    return (at::cross_entropy_loss(logitsPerImage, labels) + at::cross_entropy_loss(logitsPerImage.t(), labels)) / 2;
}

} // namespace poisonlab::clip
