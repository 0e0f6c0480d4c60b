#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>

namespace poisonlab::data {

/// The largest image decodeImageRgb() decodes by default: 64 megapixels (8192 x 8192), 192 MB
/// as RGB. Photographs in captioned datasets are far smaller; a larger declared size is most
/// likely a decompression bomb (a few bytes of PNG declaring 50000 x 50000 pixels).
constexpr std::uint64_t kDefaultMaxImagePixels = 64ull << 20;

/// Decodes an image file to CV_8UC3 in RGB order: OpenCV's imread with IMREAD_COLOR, which
/// applies the EXIF orientation, expands grey to three channels, drops alpha (as PIL's
/// convert("RGB") does, which the paper's pipeline uses), converts CMYK JPEGs and brings 16-bit
/// images to 8 bits. Before decoding, the size the header declares (declaredImageDimensions)
/// must be at most `maxPixels`. Throws poisonlab::Error naming the file when it is missing, not
/// an image (JPEG, PNG, BMP, WebP or TIFF), declares more than `maxPixels` pixels (the message
/// gives the declared size and the limit) or cannot be decoded.
cv::Mat decodeImageRgb(const std::filesystem::path &path, std::uint64_t maxPixels = kDefaultMaxImagePixels);

} // namespace poisonlab::data
