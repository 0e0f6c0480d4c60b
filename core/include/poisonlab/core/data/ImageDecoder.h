#pragma once

#include <opencv2/core/mat.hpp>

#include <filesystem>

namespace poisonlab::data {

/// Decodes an image file to CV_8UC3 in RGB order: OpenCV's imread with IMREAD_COLOR, which
/// applies the EXIF orientation, expands grey to three channels, drops alpha (as PIL's
/// convert("RGB") does, which the paper's pipeline uses), converts CMYK JPEGs and brings 16-bit
/// images to 8 bits. Throws poisonlab::Error naming the file when it is missing, not an image
/// or cannot be decoded.
cv::Mat decodeImageRgb(const std::filesystem::path &path);

} // namespace poisonlab::data
