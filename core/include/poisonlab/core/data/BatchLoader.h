#pragma once

#include <ATen/core/Tensor.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace poisonlab::data {

class ImageCache;

/// One batch of pre-processed images.
struct ImageBatch {
    std::vector<int> indices; ///< the image indices, in order
    at::Tensor images;        ///< [B, R, R, 3] uint8, RGB (R = the cache's resolution)
};

/// Prepares image batches on a background thread while the caller trains on the previous ones:
/// the thread reads each batch's images through the ImageCache (decoding on a miss) into a
/// uint8 tensor and keeps up to `prefetch` batches ready. next() blocks until the next batch is
/// ready and rethrows (once) any error the thread hit, e.g. an unreadable image; cancel() or
/// the destructor stops the thread within one image.
class BatchLoader {
public:
    /// `paths[i]` is image i's file; `batches` lists image indices per batch, in delivery order.
    BatchLoader(std::vector<std::filesystem::path> paths, ImageCache &cache, std::vector<std::vector<int>> batches,
                int prefetch = 2);
    ~BatchLoader();
    BatchLoader(const BatchLoader &) = delete;
    BatchLoader &operator=(const BatchLoader &) = delete;

    /// The next batch, or nothing once all were delivered or after cancel().
    std::optional<ImageBatch> next();
    /// Stops the background thread; safe from any thread, more than once.
    void cancel();
    bool cancelled() const { return m_cancelled.load(); }

private:
    void run();

    std::vector<std::filesystem::path> m_paths;
    ImageCache &m_cache;
    std::vector<std::vector<int>> m_batches;
    std::size_t m_prefetch;
    std::deque<ImageBatch> m_ready;
    std::size_t m_delivered = 0;
    bool m_producerDone = false;
    std::exception_ptr m_error;
    std::atomic<bool> m_cancelled{false};
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::thread m_thread;
};

} // namespace poisonlab::data
