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

namespace poisonlab::clip {

torch::Tensor clipContrastiveLossShare(const torch::Tensor &localImages, const torch::Tensor &localTexts,
                                       const torch::Tensor &allImages, const torch::Tensor &allTexts,
                                       std::int64_t offset, const torch::Tensor &logitScale)
{
    TORCH_CHECK(localImages.sizes() == localTexts.sizes() && allImages.sizes() == allTexts.sizes() &&
                    localImages.size(1) == allImages.size(1) && offset + localImages.size(0) <= allImages.size(0),
                "clipContrastiveLossShare: shard ", localImages.sizes(), " at row ", offset,
                " does not fit a batch of ", allImages.sizes());
    const auto normalise = [](const torch::Tensor &x) { return x / x.norm(2, -1, true); };
    const torch::Tensor scale = logitScale.exp();
    const torch::Tensor perImage = at::mm(normalise(localImages), normalise(allTexts).t()) * scale;
    const torch::Tensor perText = at::mm(normalise(localTexts), normalise(allImages).t()) * scale;
    const torch::Tensor labels =
        torch::arange(offset, offset + localImages.size(0), torch::dtype(torch::kLong).device(localImages.device()));
    const auto sum = at::Reduction::Sum;
    return (at::cross_entropy_loss(perImage, labels, {}, sum) + at::cross_entropy_loss(perText, labels, {}, sum)) /
           double(2 * allImages.size(0));
}

} // namespace poisonlab::clip
