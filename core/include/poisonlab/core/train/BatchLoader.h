#pragma once

#include "poisonlab/core/train/ImageSource.h"

#include <torch/types.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace poisonlab::train {

/// One prepared training batch: normalised pixels and gathered tokens of the pairs `indices`.
struct PreparedBatch {
    int epoch = 0;            ///< 0-based
    long long batch = 0;      ///< 0-based position within the epoch
    torch::Tensor pixels;     ///< float [B, 3, R, R], normalised, CPU
    torch::Tensor tokens;     ///< int64 [B, L], CPU
    long long globalRows = 0; ///< rows of the whole batch; more than B when this is one rank's shard
};

/// The trainer's background loader: a producer thread walks the batches from (startEpoch,
/// startBatch) to the end of the run, in the order given by `orderOf(epoch)`, and keeps up to
/// `depth` prepared batches queued. An exception in the producer (an unreadable image) is
/// rethrown by next(). The destructor stops and joins the thread. In a data-parallel run each
/// rank loads only its shard of every batch (distributed::shardOf).
class BatchLoader {
public:
    using OrderFn = std::function<std::vector<int>(int epoch)>;

    BatchLoader(std::shared_ptr<ImageSource> images, std::vector<int> pairImages, torch::Tensor tokens, OrderFn orderOf,
                int batchSize, long long batchesPerEpoch, int epochs, int startEpoch, long long startBatch, int depth,
                int shardRank = 0, int shardCount = 1);
    ~BatchLoader();
    BatchLoader(const BatchLoader &) = delete;
    BatchLoader &operator=(const BatchLoader &) = delete;

    /// Blocks until the next batch is ready.
    PreparedBatch next();

private:
    void produce();
    PreparedBatch prepare(int epoch, long long batch, const std::vector<int> &order) const;

    std::shared_ptr<ImageSource> m_images;
    std::vector<int> m_pairImages;
    torch::Tensor m_tokens;
    OrderFn m_orderOf;
    int m_batchSize;
    long long m_batchesPerEpoch;
    int m_epochs;
    int m_startEpoch;
    long long m_startBatch;
    std::size_t m_depth;
    int m_shardRank;
    int m_shardCount;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<PreparedBatch> m_queue;
    std::exception_ptr m_error;
    bool m_finished = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace poisonlab::train
