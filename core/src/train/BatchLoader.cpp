#include "poisonlab/core/train/BatchLoader.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/distributed/BatchShards.h"

#include <torch/torch.h>

#include <algorithm>

namespace poisonlab::train {

BatchLoader::BatchLoader(std::shared_ptr<ImageSource> images, std::vector<int> pairImages, torch::Tensor tokens,
                         OrderFn orderOf, int batchSize, long long batchesPerEpoch, int epochs, int startEpoch,
                         long long startBatch, int depth, int shardRank, int shardCount)
    : m_images(std::move(images)), m_pairImages(std::move(pairImages)), m_tokens(std::move(tokens)),
      m_orderOf(std::move(orderOf)), m_batchSize(batchSize), m_batchesPerEpoch(batchesPerEpoch), m_epochs(epochs),
      m_startEpoch(startEpoch), m_startBatch(startBatch), m_depth(std::size_t(std::max(1, depth))),
      m_shardRank(shardRank), m_shardCount(shardCount)
{
    m_thread = std::thread([this] { produce(); });
}

BatchLoader::~BatchLoader()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_changed.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

PreparedBatch BatchLoader::prepare(int epoch, long long batch, const std::vector<int> &order) const
{
    const std::size_t first = std::size_t(batch) * std::size_t(m_batchSize);
    const std::size_t last = std::min(order.size(), first + std::size_t(m_batchSize));
    const auto [from, to] = distributed::shardOf(std::int64_t(last - first), m_shardRank, m_shardCount);
    const std::size_t begin = first + std::size_t(from);
    const std::size_t end = first + std::size_t(to);
    std::vector<int> imageIds;
    std::vector<int64_t> rows;
    imageIds.reserve(end - begin);
    rows.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
        rows.push_back(order[i]);
        imageIds.push_back(m_pairImages[std::size_t(order[i])]);
    }
    PreparedBatch out;
    out.epoch = epoch;
    out.batch = batch;
    out.globalRows = (long long)(last - first);
    out.pixels = clip::normalizeBatch(m_images->load(imageIds));
    out.tokens = m_tokens.index_select(0, torch::tensor(rows, torch::kInt64)).contiguous();
    return out;
}

void BatchLoader::produce()
{
    try {
        for (int epoch = m_startEpoch; epoch < m_epochs; ++epoch) {
            const std::vector<int> order = m_orderOf(epoch);
            for (long long b = (epoch == m_startEpoch ? m_startBatch : 0); b < m_batchesPerEpoch; ++b) {
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock, [&] { return m_stop || m_queue.size() < m_depth; });
                    if (m_stop)
                        return;
                }
                PreparedBatch batch = prepare(epoch, b, order);
                {
                    std::lock_guard lock(m_mutex);
                    m_queue.push_back(std::move(batch));
                }
                m_changed.notify_all();
            }
        }
    } catch (...) {
        std::lock_guard lock(m_mutex);
        m_error = std::current_exception();
    }
    {
        std::lock_guard lock(m_mutex);
        m_finished = true;
    }
    m_changed.notify_all();
}

PreparedBatch BatchLoader::next()
{
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return !m_queue.empty() || m_finished; });
    if (m_queue.empty()) {
        if (m_error)
            std::rethrow_exception(m_error);
        throw Error("the training data loader ran out of batches before the run ended");
    }
    PreparedBatch batch = std::move(m_queue.front());
    m_queue.pop_front();
    lock.unlock();
    m_changed.notify_all();
    return batch;
}

} // namespace poisonlab::train
