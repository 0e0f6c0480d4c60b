#pragma once

#include <opencv2/core/mat.hpp>

#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

namespace poisonlab::data {

/// A disk cache of decoded, CLIP-resized images (uint8 RGB, resolution x resolution), so that
/// epochs after the first read pixels instead of decoding JPEGs.
///
/// Layout, in `folder`: images-<R>.u8 holds fixed-size slots of R*R*3 bytes, memory-mapped;
/// images-<R>.index.json maps an image's absolute path to {file size, modification time (ns),
/// slot}. An entry is used only when the image's size and mtime still match, so an edited file
/// is decoded again (into a new slot). The index is rewritten atomically by flush(), every 512
/// new entries and on destruction: a crash loses at most the newest entries, never the cache.
/// Thread-safe: the batch loader's workers share one cache.
class ImageCache {
public:
    /// Opens (or creates) the cache for `resolution` in `folder`. A cache whose files do not
    /// match (other resolution, damaged index) is started afresh. Throws poisonlab::Error naming
    /// the folder when it cannot be created.
    ImageCache(const std::filesystem::path &folder, int resolution);
    ~ImageCache();
    ImageCache(const ImageCache &) = delete;
    ImageCache &operator=(const ImageCache &) = delete;

    /// The image resized and centre-cropped by clip::resizeAndCenterCrop(), CV_8UC3 RGB,
    /// R x R (a copy). Decodes (decodeImageRgb) and stores it on a miss. Throws poisonlab::Error
    /// naming the file when it cannot be decoded.
    cv::Mat get(const std::filesystem::path &image);
    /// Same, writing R*R*3 bytes to `out`.
    void getInto(const std::filesystem::path &image, std::uint8_t *out);
    /// True when `image` is cached and unchanged since.
    bool contains(const std::filesystem::path &image) const;

    /// Writes the index (atomically) and syncs the pixel file.
    void flush();

    int resolution() const { return m_resolution; }
    long long hits() const;
    long long misses() const;
    std::size_t size() const;

private:
    struct Entry {
        std::uint64_t fileSize = 0;
        std::int64_t mtimeNs = 0;
        std::uint64_t slot = 0;
    };
    bool lookup(const std::string &key, std::uint64_t size, std::int64_t mtime, std::uint64_t &slot) const;
    void ensureCapacity(std::uint64_t slots);
    void flushLocked();
    void startAfresh();

    std::filesystem::path m_dataPath, m_indexPath;
    int m_resolution;
    std::size_t m_slotBytes;
    int m_fd = -1;
    std::uint8_t *m_map = nullptr;
    std::uint64_t m_capacity = 0; // slots the file holds
    std::uint64_t m_used = 0;     // slots handed out
    std::unordered_map<std::string, Entry> m_entries;
    mutable std::mutex m_mutex;
    long long m_hits = 0, m_misses = 0;
    int m_unsaved = 0;
};

} // namespace poisonlab::data
