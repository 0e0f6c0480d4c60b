// libFuzzer target: the image decoder on hostile files (a dataset's images come from the web):
// truncated and corrupt JPEG, PNG, BMP, WebP, TIFF and GIF, and decompression bombs — headers
// declaring more pixels than the limit must be refused before OpenCV allocates anything.
// Arbitrary bytes must give an RGB image within the limit or a poisonlab::Error naming the file.
// OpenCV and its codecs are linked, not instrumented: the fuzzer steers by PoisonLab's code.
#include "FuzzInput.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDecoder.h"

#include <opencv2/core.hpp>
#include <opencv2/core/utils/logger.hpp>

namespace {

// Lower than the default 64 megapixels so that bombs just under the limit decode in milliseconds
// (the limit's check is the same code; tst_imagedecoder tests the default).
constexpr std::uint64_t kFuzzMaxPixels = 1ull << 22;

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
    cv::setNumThreads(1);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const auto &file = poisonlab::fuzz::writeInput(data, size, ".img");
    try {
        const cv::Mat rgb = poisonlab::data::decodeImageRgb(file, kFuzzMaxPixels);
        if (rgb.type() != CV_8UC3 || rgb.empty() || std::uint64_t(rgb.total()) > kFuzzMaxPixels)
            __builtin_trap(); // an image must come back as RGB bytes within the limit
    } catch (const poisonlab::Error &e) {
        if (e.file() != file)
            __builtin_trap(); // every refusal names the file
    }
    return 0;
}
