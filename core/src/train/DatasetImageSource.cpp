#include "poisonlab/core/train/DatasetImageSource.h"

#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/data/ImageCache.h"
#include "poisonlab/core/data/ImageDecoder.h"

#include <spdlog/spdlog.h>
#include <torch/torch.h>

namespace poisonlab::train {

DatasetImageSource::DatasetImageSource(std::shared_ptr<const data::Dataset> dataset, int resolution,
                                       std::size_t cacheLimitBytes, std::shared_ptr<data::ImageCache> diskCache)
    : m_dataset(std::move(dataset)), m_resolution(resolution), m_cacheLimit(cacheLimitBytes),
      m_disk(std::move(diskCache))
{
    if (!m_dataset)
        throw Error("DatasetImageSource needs a dataset");
    if (resolution < 1)
        throw Error("image resolution must be positive, got " + std::to_string(resolution));
    if (m_disk && m_disk->resolution() != resolution)
        throw Error("the image cache holds " + std::to_string(m_disk->resolution()) + " px images, not " +
                    std::to_string(resolution));
}

std::shared_ptr<data::ImageCache> DatasetImageSource::openDiskCache(const std::filesystem::path &folder, int resolution)
{
    try {
        return std::make_shared<data::ImageCache>(folder, resolution);
    } catch (const std::exception &e) {
        spdlog::warn("decoding images without the disk cache: {}", e.what());
        return nullptr;
    }
}

torch::Tensor DatasetImageSource::decode(int image) const
{
    if (image < 0 || std::size_t(image) >= m_dataset->images.size())
        throw Error("image index " + std::to_string(image) + " is outside the dataset (" +
                    std::to_string(m_dataset->images.size()) + " images)");
    // The path was checked when the dataset was read, but a symbolic link may have appeared since
    // (or the dataset was opened without checkFiles): an image outside its root is never read.
    const data::ImageRecord &record = m_dataset->images[std::size_t(image)];
    const auto &root = record.root == 0 ? m_dataset->root : m_dataset->extraRoots.at(record.root - 1u);
    const auto path = confinedPath(root, record.path, root, {"image path", "the dataset root"});
    torch::Tensor out = torch::empty({m_resolution, m_resolution, 3}, torch::kUInt8);
    if (m_disk) {
        m_disk->getInto(path, out.data_ptr<std::uint8_t>());
        return out;
    }
    // CLIP's preprocessing: shorter side to R (bicubic), then the central R x R crop.
    const cv::Mat rgb = clip::resizeAndCenterCrop(data::decodeImageRgb(path), m_resolution);
    cv::Mat view(m_resolution, m_resolution, CV_8UC3, out.data_ptr<std::uint8_t>());
    rgb.copyTo(view);
    return out;
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
