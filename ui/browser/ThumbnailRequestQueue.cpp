#include "browser/ThumbnailRequestQueue.h"

#include <algorithm>

namespace poisonlab::ui {

bool ThumbnailRequestQueue::push(ThumbnailRequest request, bool *dropped)
{
    std::lock_guard lock(m_mutex);
    if (dropped)
        *dropped = false;
    auto same = [&](const ThumbnailRequest &r) {
        return r.generation == request.generation && r.image == request.image && r.bound == request.bound;
    };
    auto it = std::find_if(m_queue.begin(), m_queue.end(), same);
    if (it != m_queue.end()) {
        // Asked again (the row is painted again): move it to the front of the line.
        ThumbnailRequest moved = std::move(*it);
        m_queue.erase(it);
        m_queue.push_back(std::move(moved));
        return false;
    }
    m_queue.push_back(std::move(request));
    while (static_cast<int>(m_queue.size()) > m_limit) {
        m_queue.pop_front();
        if (dropped)
            *dropped = true;
    }
    return true;
}

std::optional<ThumbnailRequest> ThumbnailRequestQueue::popOrExit()
{
    std::lock_guard lock(m_mutex);
    if (m_queue.empty()) {
        --m_workers;
        return std::nullopt;
    }
    ThumbnailRequest request = std::move(m_queue.back());
    m_queue.pop_back();
    ++m_inFlight;
    return request;
}

void ThumbnailRequestQueue::finished()
{
    std::lock_guard lock(m_mutex);
    --m_inFlight;
}

void ThumbnailRequestQueue::clear()
{
    std::lock_guard lock(m_mutex);
    m_queue.clear();
}

void ThumbnailRequestQueue::setLimit(int limit)
{
    std::lock_guard lock(m_mutex);
    m_limit = std::max(1, limit);
    while (static_cast<int>(m_queue.size()) > m_limit)
        m_queue.pop_front();
}

int ThumbnailRequestQueue::limit() const
{
    std::lock_guard lock(m_mutex);
    return m_limit;
}

int ThumbnailRequestQueue::pending() const
{
    std::lock_guard lock(m_mutex);
    return static_cast<int>(m_queue.size()) + m_inFlight;
}

bool ThumbnailRequestQueue::wantsWorker(int maxWorkers)
{
    std::lock_guard lock(m_mutex);
    if (m_workers >= maxWorkers || static_cast<int>(m_queue.size()) <= 0)
        return false;
    ++m_workers;
    return true;
}

} // namespace poisonlab::ui
