#pragma once

#include "poisonlab/core/train/ImageSource.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace poisonlab::data {
struct Dataset;
class ImageCache;
} // namespace poisonlab::data

namespace poisonlab::train {

/// An ImageSource over a dataset's image files: data::decodeImageRgb (EXIF orientation, grey,
/// alpha and CMYK to RGB), then clip::resizeAndCenterCrop. With a disk cache (data::ImageCache,
/// shared between sources and runs), decoded images survive the process, so later epochs and
/// later runs never decode the files again; decoded images may also be kept in memory
/// (cacheLimitBytes). An unreadable image throws poisonlab::Error naming the file.
class DatasetImageSource final : public ImageSource {
public:
    DatasetImageSource(std::shared_ptr<const data::Dataset> dataset, int resolution,
                       std::size_t cacheLimitBytes = std::size_t(512) << 20,
                       std::shared_ptr<data::ImageCache> diskCache = nullptr);
    /// The disk cache for `resolution` in `folder`, or null (with a warning in the log) when it
    /// cannot be used, e.g. another process holds it: training then decodes as usual.
    static std::shared_ptr<data::ImageCache> openDiskCache(const std::filesystem::path &folder, int resolution);
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
    std::shared_ptr<data::ImageCache> m_disk;
};

} // namespace poisonlab::train
