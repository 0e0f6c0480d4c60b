#include "poisonlab/core/data/ImageDecoder.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDimensions.h"
#include "poisonlab/core/data/ImageFileCheck.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>

namespace poisonlab::data {

namespace {

std::string megapixels(std::uint64_t pixels)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", double(pixels) / double(1 << 20));
    return text;
}

// OpenCV picks its decoder by signature, in a fixed order, and after a decoder that rejects the
// header (WebP's, BMP's; 4.6 has none for GIF) it tries two whose signatures lie past byte 0:
// DICOM ("DICM" at byte 128; GDCM allocated what its own hostile lengths say, found by
// fuzz_image_decoder) and GDAL ("DTED" at byte 140; GDAL then reads the file with every driver it
// has). Files bearing either are refused, so only the six formats' own decoders see a file.
std::optional<std::string> foreignSignature(const std::filesystem::path &path)
{
    std::ifstream in(path, std::ios::binary);
    char bytes[16] = {};
    in.seekg(128);
    in.read(bytes, sizeof bytes);
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got >= 4 && std::memcmp(bytes, "DICM", 4) == 0)
        return "it bears DICOM's signature at byte 128, which OpenCV would decode as a medical image of unchecked "
               "size";
    if (got >= 16 && std::memcmp(bytes + 12, "DTED", 4) == 0)
        return "it bears DTED's signature at byte 140, which OpenCV would hand to GDAL";
    return std::nullopt;
}

// Refuses, before OpenCV sees the file, what it would decode wrongly or at any cost: a cut-off
// file (libjpeg fills the missing rows with grey and reports success), a file OpenCV would give
// another decoder, and a declared size above the limit (OpenCV allocates what the header declares, so a
// tiny file declaring gigapixels would exhaust memory before a row is decoded).
void checkBeforeDecoding(const std::filesystem::path &path, std::uint64_t maxPixels)
{
    if (const auto problem = imageFileProblem(path))
        throw Error(path, *problem);
    if (const auto foreign = foreignSignature(path))
        throw Error(path, "not an image PoisonLab decodes: " + *foreign);
    const auto dims = declaredImageDimensions(path);
    if (!dims)
        throw Error(path, "cannot read the image size from its header (corrupt)");
    // Each side fits in 32 bits, so the product cannot overflow.
    const std::uint64_t pixels = dims->width * dims->height;
    if (pixels > maxPixels)
        throw Error(path, "declares " + std::to_string(dims->width) + " x " + std::to_string(dims->height) +
                              " pixels (" + megapixels(pixels) + " megapixels), more than the limit of " +
                              megapixels(maxPixels) + " megapixels (" + std::to_string(maxPixels) + " pixels)");
}

} // namespace

cv::Mat decodeImageRgb(const std::filesystem::path &path, std::uint64_t maxPixels)
{
    checkBeforeDecoding(path, maxPixels);
    cv::Mat bgr;
    try {
        bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    } catch (const std::exception &e) { // cv::Exception, or std::bad_alloc from a decoder
        throw Error(path, std::string("cannot decode image: ") + e.what());
    }
    if (bgr.empty())
        throw Error(path, "cannot decode image (corrupt or unsupported)");
    if (bgr.depth() != CV_8U)
        bgr.convertTo(bgr, CV_8U, bgr.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

} // namespace poisonlab::data
