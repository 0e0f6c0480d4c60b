#include "poisonlab/core/train/DatasetImageSource.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/Dataset.h"

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <torch/torch.h>

namespace poisonlab::train {

DatasetImageSource::DatasetImageSource(std::shared_ptr<const data::Dataset> dataset, int resolution,
                                       std::size_t cacheLimitBytes)
    : m_dataset(std::move(dataset)), m_resolution(resolution), m_cacheLimit(cacheLimitBytes)
{
    if (!m_dataset)
        throw Error("DatasetImageSource needs a dataset");
    if (resolution < 1)
        throw Error("image resolution must be positive, got " + std::to_string(resolution));
}

torch::Tensor DatasetImageSource::decode(int image) const
{
    if (image < 0 || std::size_t(image) >= m_dataset->images.size())
        throw Error("image index " + std::to_string(image) + " is outside the dataset (" +
                    std::to_string(m_dataset->images.size()) + " images)");
    const auto path = m_dataset->imagePath(image);
    cv::Mat bgr = cv::imread(path.string(), cv::IMREAD_COLOR);
    if (bgr.empty())
        throw Error(path, "cannot be read as an image");
    // CLIP's preprocessing: shorter side to R (bicubic), then the central R x R crop.
    const int r = m_resolution;
    const double scale = double(r) / double(std::min(bgr.cols, bgr.rows));
    const int w = std::max(r, int(std::lround(bgr.cols * scale)));
    const int h = std::max(r, int(std::lround(bgr.rows * scale)));
    cv::Mat resized;
    cv::resize(bgr, resized, cv::Size(w, h), 0, 0, cv::INTER_CUBIC);
    cv::Mat crop = resized(cv::Rect((w - r) / 2, (h - r) / 2, r, r));
    cv::Mat rgb;
    cv::cvtColor(crop, rgb, cv::COLOR_BGR2RGB);
    return torch::from_blob(rgb.data, {r, r, 3}, torch::kUInt8).clone();
}

torch::Tensor DatasetImageSource::load(const std::vector<int> &images)
{
    std::vector<torch::Tensor> out;
    out.reserve(images.size());
    for (int id : images) {
        {
            std::lock_guard lock(m_mutex);
            auto it = m_cache.find(id);
            if (it != m_cache.end()) {
                out.push_back(it->second);
                continue;
            }
        }
        torch::Tensor t = decode(id);
        {
            std::lock_guard lock(m_mutex);
            const std::size_t bytes = std::size_t(t.numel());
            if (m_cached + bytes <= m_cacheLimit && m_cache.emplace(id, t).second)
                m_cached += bytes;
        }
        out.push_back(t);
    }
    if (out.empty())
        return torch::empty({0, m_resolution, m_resolution, 3}, torch::kUInt8);
    return torch::stack(out);
}

} // namespace poisonlab::train
