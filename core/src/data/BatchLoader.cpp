#include "poisonlab/core/data/BatchLoader.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageCache.h"

#include <torch/types.h>

namespace poisonlab::data {

BatchLoader::BatchLoader(std::vector<std::filesystem::path> paths, ImageCache &cache,
                         std::vector<std::vector<int>> batches, int prefetch)
    : m_paths(std::move(paths)), m_cache(cache), m_batches(std::move(batches)),
      m_prefetch(static_cast<std::size_t>(std::max(1, prefetch)))
{
    m_thread = std::thread([this] { run(); });
}

BatchLoader::~BatchLoader()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

void BatchLoader::cancel()
{
    m_cancelled = true;
    m_changed.notify_all();
}

void BatchLoader::run()
{
    const int r = m_cache.resolution();
    const std::size_t bytes = static_cast<std::size_t>(r) * r * 3;
    try {
        for (const auto &indices : m_batches) {
            {
                std::unique_lock lock(m_mutex);
                m_changed.wait(lock, [&] { return m_cancelled || m_ready.size() < m_prefetch; });
                if (m_cancelled)
                    break;
            }
            ImageBatch batch;
            batch.indices = indices;
            batch.images = torch::empty({static_cast<long>(indices.size()), r, r, 3}, torch::kUInt8);
            auto *out = batch.images.data_ptr<std::uint8_t>();
            for (std::size_t i = 0; i < indices.size(); ++i) {
                if (m_cancelled)
                    break;
                const int index = indices[i];
                if (index < 0 || static_cast<std::size_t>(index) >= m_paths.size())
                    throw Error("batch loader: image index " + std::to_string(index) + " is out of range");
                m_cache.getInto(m_paths[static_cast<std::size_t>(index)], out + i * bytes);
            }
            if (m_cancelled)
                break;
            std::lock_guard lock(m_mutex);
            m_ready.push_back(std::move(batch));
            m_changed.notify_all();
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
    }
    std::lock_guard lock(m_mutex);
    m_producerDone = true;
    m_changed.notify_all();
}

std::optional<ImageBatch> BatchLoader::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_cancelled || !m_ready.empty() || m_producerDone; });
    if (!m_ready.empty()) {
        ImageBatch b = std::move(m_ready.front());
        m_ready.pop_front();
        ++m_delivered;
        m_changed.notify_all();
        return b;
    }
    if (m_error) {
        std::exception_ptr e = m_error;
        m_error = nullptr;
        std::rethrow_exception(e);
    }
    return std::nullopt;
}

} // namespace poisonlab::data
