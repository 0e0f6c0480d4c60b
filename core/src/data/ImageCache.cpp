#include "poisonlab/core/data/ImageCache.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/ImageDecoder.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

// Declared here rather than by including clip/ClipPreprocess.h, which pulls in torch headers
// this file does not need (a 15 s compile on two cores). Same signature as that header.
namespace poisonlab::clip {
cv::Mat resizeAndCenterCrop(const cv::Mat &rgbU8, int resolution);
}

namespace poisonlab::data {
namespace fs = std::filesystem;

namespace {

bool statImage(const fs::path &p, std::uint64_t &size, std::int64_t &mtimeNs)
{
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0)
        return false;
    size = static_cast<std::uint64_t>(st.st_size);
    mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec;
    return true;
}

std::string keyOf(const fs::path &p)
{
    std::error_code ec;
    const fs::path abs = fs::absolute(p, ec);
    return (ec ? p : abs).lexically_normal().string();
}

} // namespace

ImageCache::ImageCache(const fs::path &folder, int resolution)
    : m_resolution(resolution), m_slotBytes(static_cast<std::size_t>(resolution) * resolution * 3)
{
    if (resolution <= 0)
        throw Error(folder, "image cache resolution must be positive");
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec)
        throw Error(folder, "cannot create the image cache folder: " + ec.message());
    const std::string stem = "images-" + std::to_string(resolution);
    m_dataPath = folder / (stem + ".u8");
    m_indexPath = folder / (stem + ".index.json");
    m_fd = ::open(m_dataPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (m_fd < 0)
        throw Error(m_dataPath, std::string("cannot open the image cache: ") + std::strerror(errno));
    // Slots are handed out by this process alone: a second process (or a second cache object)
    // on the same folder would write its own images into the same slots, so it is refused.
    if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        const int err = errno;
        ::close(m_fd);
        m_fd = -1;
        throw Error(m_dataPath, err == EWOULDBLOCK ? std::string("the image cache is in use by another process")
                                                   : std::string("cannot lock the image cache: ") + std::strerror(err));
    }
    struct stat st {};
    ::fstat(m_fd, &st);
    const auto fileBytes = static_cast<std::uint64_t>(st.st_size);
    bool ok = false;
    try {
        if (fs::exists(m_indexPath, ec)) {
            const nlohmann::json index = readJsonFile(m_indexPath);
            if (index.value("version", 0) == 1 && index.value("resolution", 0) == resolution) {
                m_used = index.at("slots").get<std::uint64_t>();
                if (m_used * m_slotBytes <= fileBytes) {
                    for (const auto &[path, e] : index.at("entries").items()) {
                        Entry entry{e.at(0).get<std::uint64_t>(), e.at(1).get<std::int64_t>(),
                                    e.at(2).get<std::uint64_t>()};
                        if (entry.slot < m_used)
                            m_entries.emplace(path, entry);
                    }
                    ok = true;
                }
            }
        }
    } catch (const std::exception &e) {
        spdlog::warn("image cache index {} unreadable, starting afresh: {}", m_indexPath.string(), e.what());
    }
    if (!ok) {
        startAfresh();
    } else {
        m_capacity = fileBytes / m_slotBytes;
        if (m_capacity > 0) {
            void *p = ::mmap(nullptr, m_capacity * m_slotBytes, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, 0);
            if (p == MAP_FAILED)
                throw Error(m_dataPath, std::string("cannot map the image cache: ") + std::strerror(errno));
            m_map = static_cast<std::uint8_t *>(p);
        }
    }
}

ImageCache::~ImageCache()
{
    try {
        flush();
    } catch (const std::exception &e) {
        spdlog::warn("image cache: {}", e.what());
    }
    if (m_map)
        ::munmap(m_map, m_capacity * m_slotBytes);
    if (m_fd >= 0)
        ::close(m_fd);
}

void ImageCache::startAfresh()
{
    m_entries.clear();
    m_used = 0;
    m_capacity = 0;
    if (::ftruncate(m_fd, 0) != 0)
        throw Error(m_dataPath, std::string("cannot reset the image cache: ") + std::strerror(errno));
}

void ImageCache::ensureCapacity(std::uint64_t slots)
{
    if (slots <= m_capacity)
        return;
    std::uint64_t next = std::max<std::uint64_t>(64, m_capacity);
    while (next < slots)
        next *= 2;
    if (::ftruncate(m_fd, static_cast<off_t>(next * m_slotBytes)) != 0)
        throw Error(m_dataPath, std::string("cannot grow the image cache (disk full?): ") + std::strerror(errno));
    if (m_map)
        ::munmap(m_map, m_capacity * m_slotBytes);
    void *p = ::mmap(nullptr, next * m_slotBytes, PROT_READ | PROT_WRITE, MAP_SHARED, m_fd, 0);
    if (p == MAP_FAILED) {
        m_map = nullptr;
        m_capacity = 0;
        throw Error(m_dataPath, std::string("cannot map the image cache: ") + std::strerror(errno));
    }
    m_map = static_cast<std::uint8_t *>(p);
    m_capacity = next;
}

bool ImageCache::lookup(const std::string &key, std::uint64_t size, std::int64_t mtime, std::uint64_t &slot) const
{
    const auto it = m_entries.find(key);
    if (it == m_entries.end() || it->second.fileSize != size || it->second.mtimeNs != mtime)
        return false;
    slot = it->second.slot;
    return true;
}

bool ImageCache::contains(const fs::path &image) const
{
    std::uint64_t size = 0, slot = 0;
    std::int64_t mtime = 0;
    if (!statImage(image, size, mtime))
        return false;
    std::lock_guard lock(m_mutex);
    return lookup(keyOf(image), size, mtime, slot);
}

void ImageCache::getInto(const fs::path &image, std::uint8_t *out)
{
    std::uint64_t size = 0, slot = 0;
    std::int64_t mtime = 0;
    if (!statImage(image, size, mtime))
        throw Error(image, "file not found");
    const std::string key = keyOf(image);
    {
        std::lock_guard lock(m_mutex);
        if (lookup(key, size, mtime, slot)) {
            std::memcpy(out, m_map + slot * m_slotBytes, m_slotBytes);
            ++m_hits;
            return;
        }
    }
    // Decode outside the lock so workers decode in parallel.
    cv::Mat square = clip::resizeAndCenterCrop(decodeImageRgb(image), m_resolution);
    if (!square.isContinuous())
        square = square.clone();
    std::memcpy(out, square.data, m_slotBytes);
    std::lock_guard lock(m_mutex);
    ++m_misses;
    ensureCapacity(m_used + 1);
    slot = m_used++;
    std::memcpy(m_map + slot * m_slotBytes, square.data, m_slotBytes);
    m_entries[key] = Entry{size, mtime, slot};
    if (++m_unsaved >= 512)
        flushLocked();
}

cv::Mat ImageCache::get(const fs::path &image)
{
    cv::Mat out(m_resolution, m_resolution, CV_8UC3);
    getInto(image, out.data);
    return out;
}

void ImageCache::flushLocked()
{
    if (m_map)
        ::msync(m_map, m_capacity * m_slotBytes, MS_SYNC);
    nlohmann::json entries = nlohmann::json::object();
    for (const auto &[path, e] : m_entries)
        entries[path] = {e.fileSize, e.mtimeNs, e.slot};
    writeJsonAtomically(m_indexPath,
                        {{"version", 1}, {"resolution", m_resolution}, {"slots", m_used}, {"entries", entries}}, -1);
    m_unsaved = 0;
}

void ImageCache::flush()
{
    std::lock_guard lock(m_mutex);
    std::error_code ec;
    if (m_unsaved == 0 && fs::exists(m_indexPath, ec))
        return;
    flushLocked();
}

long long ImageCache::hits() const
{
    std::lock_guard lock(m_mutex);
    return m_hits;
}

long long ImageCache::misses() const
{
    std::lock_guard lock(m_mutex);
    return m_misses;
}

std::size_t ImageCache::size() const
{
    std::lock_guard lock(m_mutex);
    return m_entries.size();
}

} // namespace poisonlab::data
