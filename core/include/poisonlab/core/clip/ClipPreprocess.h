#pragma once

#include <opencv2/core/mat.hpp>
#include <torch/types.h>

#include <filesystem>

namespace poisonlab::clip {

/// CLIP's normalisation constants (OpenAI clip/clip.py _transform).
inline constexpr float kClipMean[3] = {0.48145466f, 0.4578275f, 0.40821073f};
inline constexpr float kClipStd[3] = {0.26862954f, 0.26130258f, 0.27577711f};

/// torchvision's Resize(resolution, BICUBIC) + CenterCrop(resolution) on a PIL image, bit for
/// bit: the shorter side goes to `resolution` (the longer to int(resolution * long / short))
/// with PIL's separable, antialiased bicubic filter (a = -0.5, 8-bit fixed-point passes,
/// horizontal then vertical), then the centre crop. An image whose shorter side already has
/// the size is not resampled; one already `resolution` square passes unchanged.
/// `rgbU8` is CV_8UC3 in RGB order; the result is CV_8UC3 resolution x resolution.
cv::Mat resizeAndCenterCrop(const cv::Mat &rgbU8, int resolution);

/// [3, R, R] float: pixels / 255, minus CLIP's mean, divided by its std. Input CV_8UC3 RGB.
torch::Tensor normalizeToTensor(const cv::Mat &rgbU8Square);

/// [B, R, R, 3] uint8 (any device) -> [B, 3, R, R] float normalised as normalizeToTensor().
torch::Tensor normalizeBatch(const torch::Tensor &uint8NHWC);

/// Reads an image file as RGB (alpha dropped, grey expanded); throws poisonlab::Error naming the
/// file when it is missing or not a decodable image.
cv::Mat readRgbImage(const std::filesystem::path &path);

} // namespace poisonlab::clip
