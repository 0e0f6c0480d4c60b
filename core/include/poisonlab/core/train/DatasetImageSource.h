#pragma once

#include "poisonlab/core/train/ImageSource.h"

#include <memory>
#include <mutex>
#include <unordered_map>

namespace poisonlab::data {
struct Dataset;
}

namespace poisonlab::train {

/// An ImageSource over a dataset's image files: cv::imread, resize of the shorter side to R
/// (bicubic, as CLIP's preprocessing), centre crop, BGR->RGB. Decoded images may be kept in memory
/// (cacheLimitBytes) so later epochs skip decoding. An unreadable image throws poisonlab::Error
/// naming the file.
class DatasetImageSource final : public ImageSource {
public:
    DatasetImageSource(std::shared_ptr<const data::Dataset> dataset, int resolution,
                       std::size_t cacheLimitBytes = std::size_t(512) << 20);
    torch::Tensor load(const std::vector<int> &images) override;
    int resolution() const override { return m_resolution; }

private:
    torch::Tensor decode(int image) const;

    std::shared_ptr<const data::Dataset> m_dataset;
    int m_resolution;
    std::size_t m_cacheLimit;
    std::size_t m_cached = 0;
    std::mutex m_mutex;
    std::unordered_map<int, torch::Tensor> m_cache;
};

} // namespace poisonlab::train
