#include "poisonlab/core/data/ImageDecoder.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageFileCheck.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace poisonlab::data {

cv::Mat decodeImageRgb(const std::filesystem::path &path)
{
    cv::Mat bgr;
    try {
        bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    } catch (const cv::Exception &e) {
        throw Error(path, std::string("cannot decode image: ") + e.what());
    }
    if (bgr.empty()) {
        const auto problem = imageFileProblem(path);
        throw Error(path, problem ? *problem : std::string("cannot decode image (corrupt or unsupported)"));
    }
    if (bgr.depth() != CV_8U)
        bgr.convertTo(bgr, CV_8U, bgr.depth() == CV_16U ? 1.0 / 257.0 : 1.0);
    cv::Mat rgb;
    cv::cvtColor(bgr, rgb, cv::COLOR_BGR2RGB);
    return rgb;
}

} // namespace poisonlab::data
