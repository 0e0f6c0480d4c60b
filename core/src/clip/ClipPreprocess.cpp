#include "poisonlab/core/clip/ClipPreprocess.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDecoder.h"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace poisonlab::clip {
namespace {

// PIL's fixed-point precision for 8-bit images (libImaging/Resample.c).
constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubic(double x)
{
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0)
        return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
    if (x < 2.0)
        return (((x - 5) * x + 8) * x - 4) * a;
    return 0.0;
}

struct Coefficients {
    int kernelSize = 0;
    std::vector<int> bounds;  // per output: xmin, count
    std::vector<int> weights; // per output: kernelSize fixed-point weights
};

// precompute_coeffs + normalize_coeffs_8bpc of PIL.
Coefficients computeCoefficients(int inSize, int outSize)
{
    const double scale = static_cast<double>(inSize) / outSize;
    const double filterScale = std::max(scale, 1.0);
    const double support = 2.0 * filterScale;
    Coefficients c;
    c.kernelSize = static_cast<int>(std::ceil(support)) * 2 + 1;
    c.bounds.resize(outSize * 2);
    c.weights.assign(static_cast<size_t>(outSize) * c.kernelSize, 0);
    std::vector<double> k(c.kernelSize);
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        int xmin = static_cast<int>(center - support + 0.5);
        if (xmin < 0)
            xmin = 0;
        int xmax = static_cast<int>(center + support + 0.5);
        if (xmax > inSize)
            xmax = inSize;
        xmax -= xmin;
        double ww = 0.0;
        int x = 0;
        for (; x < xmax; ++x) {
            const double w = bicubic((x + xmin - center + 0.5) * ss);
            k[x] = w;
            ww += w;
        }
        for (x = 0; x < xmax; ++x)
            if (ww != 0.0)
                k[x] /= ww;
        for (; x < c.kernelSize; ++x)
            k[x] = 0;
        for (x = 0; x < c.kernelSize; ++x) {
            const double v = k[x] * (1 << kPrecisionBits);
            c.weights[static_cast<size_t>(xx) * c.kernelSize + x] = static_cast<int>(v < 0 ? v - 0.5 : v + 0.5);
        }
        c.bounds[xx * 2] = xmin;
        c.bounds[xx * 2 + 1] = xmax;
    }
    return c;
}

inline uint8_t clip8(int v)
{
    v >>= kPrecisionBits;
    return static_cast<uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

cv::Mat resampleHorizontal(const cv::Mat &in, int outWidth)
{
    const Coefficients c = computeCoefficients(in.cols, outWidth);
    cv::Mat out(in.rows, outWidth, CV_8UC3);
    for (int y = 0; y < in.rows; ++y) {
        const uint8_t *src = in.ptr<uint8_t>(y);
        uint8_t *dst = out.ptr<uint8_t>(y);
        for (int xx = 0; xx < outWidth; ++xx) {
            const int xmin = c.bounds[xx * 2], count = c.bounds[xx * 2 + 1];
            const int *k = &c.weights[static_cast<size_t>(xx) * c.kernelSize];
            for (int ch = 0; ch < 3; ++ch) {
                int ss = 1 << (kPrecisionBits - 1);
                for (int x = 0; x < count; ++x)
                    ss += src[(x + xmin) * 3 + ch] * k[x];
                dst[xx * 3 + ch] = clip8(ss);
            }
        }
    }
    return out;
}

cv::Mat resampleVertical(const cv::Mat &in, int outHeight)
{
    const Coefficients c = computeCoefficients(in.rows, outHeight);
    cv::Mat out(outHeight, in.cols, CV_8UC3);
    for (int yy = 0; yy < outHeight; ++yy) {
        const int ymin = c.bounds[yy * 2], count = c.bounds[yy * 2 + 1];
        const int *k = &c.weights[static_cast<size_t>(yy) * c.kernelSize];
        uint8_t *dst = out.ptr<uint8_t>(yy);
        for (int x = 0; x < in.cols * 3; ++x) {
            int ss = 1 << (kPrecisionBits - 1);
            for (int y = 0; y < count; ++y)
                ss += in.ptr<uint8_t>(y + ymin)[x] * k[y];
            dst[x] = clip8(ss);
        }
    }
    return out;
}

} // namespace

cv::Mat resizeAndCenterCrop(const cv::Mat &rgbU8, int resolution)
{
    if (rgbU8.empty() || rgbU8.type() != CV_8UC3)
        throw Error("resizeAndCenterCrop expects a non-empty 8-bit, 3-channel image");
    if (resolution <= 0)
        throw Error("resizeAndCenterCrop: resolution must be positive");
    const int w = rgbU8.cols, h = rgbU8.rows;
    if (w == resolution && h == resolution)
        return rgbU8;
    cv::Mat img = rgbU8.isContinuous() ? rgbU8 : rgbU8.clone();
    const int shortSide = std::min(w, h), longSide = std::max(w, h);
    if (shortSide != resolution) {
        const int newLong = static_cast<int>(static_cast<long long>(resolution) * longSide / shortSide);
        const int newW = w <= h ? resolution : newLong;
        const int newH = w <= h ? newLong : resolution;
        if (newW != w)
            img = resampleHorizontal(img, newW);
        if (newH != h)
            img = resampleVertical(img, newH);
    }
    // torchvision CenterCrop: top = int(round((h - crop) / 2.0)), round half to even.
    const int top = static_cast<int>(std::nearbyint((img.rows - resolution) / 2.0));
    const int left = static_cast<int>(std::nearbyint((img.cols - resolution) / 2.0));
    if (top < 0 || left < 0)
        throw Error("resizeAndCenterCrop: image smaller than the crop");
    return img(cv::Rect(left, top, resolution, resolution)).clone();
}

torch::Tensor normalizeToTensor(const cv::Mat &rgbU8Square)
{
    if (rgbU8Square.empty() || rgbU8Square.type() != CV_8UC3)
        throw Error("normalizeToTensor expects an 8-bit, 3-channel image");
    cv::Mat img = rgbU8Square.isContinuous() ? rgbU8Square : rgbU8Square.clone();
    torch::Tensor hwc = torch::from_blob(img.data, {1, img.rows, img.cols, 3}, torch::kUInt8);
    return normalizeBatch(hwc)[0];
}

torch::Tensor normalizeBatch(const torch::Tensor &uint8NHWC)
{
    TORCH_CHECK(uint8NHWC.dim() == 4 && uint8NHWC.size(3) == 3 && uint8NHWC.scalar_type() == torch::kUInt8,
                "normalizeBatch expects [B, H, W, 3] uint8, got ", uint8NHWC.sizes(), " ", uint8NHWC.scalar_type());
    const auto opts = torch::dtype(torch::kFloat32).device(uint8NHWC.device());
    const torch::Tensor mean = torch::tensor({kClipMean[0], kClipMean[1], kClipMean[2]}, opts).view({1, 3, 1, 1});
    const torch::Tensor std = torch::tensor({kClipStd[0], kClipStd[1], kClipStd[2]}, opts).view({1, 3, 1, 1});
    // Same operations, in the same order, as ToTensor() followed by Normalize().
    torch::Tensor x = uint8NHWC.permute({0, 3, 1, 2}).to(torch::kFloat32).div_(255.0f);
    return x.sub_(mean).div_(std).contiguous();
}

cv::Mat readRgbImage(const std::filesystem::path &path)
{
    return data::decodeImageRgb(path); // one decoder, with its pixel limit, for datasets and `embed`
}

} // namespace poisonlab::clip
