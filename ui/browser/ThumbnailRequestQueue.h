#pragma once

#include "dataset/DatasetPtr.h"

#include <QSize>

#include <deque>
#include <mutex>
#include <optional>

namespace poisonlab::ui {

/// One thumbnail to decode: an image index of a dataset held only weakly, so a closed dataset's
/// queued work evaporates instead of keeping it alive.
struct ThumbnailRequest {
    std::weak_ptr<const data::Dataset> dataset;
    quint64 generation = 0;
    int image = -1;
    QSize bound;
};

/// The requests waiting for a decoder thread, shared by the cache (GUI thread) and its workers.
/// Last in, first out: what was painted most recently is decoded first; beyond `limit` entries
/// the oldest are dropped (they belong to rows scrolled away and are asked for again if shown).
class ThumbnailRequestQueue {
public:
    /// Adds or bumps a request to the front. Returns false if it was already queued or in flight.
    bool push(ThumbnailRequest request, bool *dropped = nullptr);
    /// The newest request, counted as in flight; when there is none the calling worker is
    /// counted as exited (atomically, so a push racing with it always finds a worker or starts one).
    std::optional<ThumbnailRequest> popOrExit();
    void finished(); ///< a popped request is done
    void clear();
    void setLimit(int limit);
    int limit() const;
    int pending() const; ///< queued + in flight
    /// Workers running, and whether another is wanted for the queued work.
    bool wantsWorker(int maxWorkers);

private:
    mutable std::mutex m_mutex;
    std::deque<ThumbnailRequest> m_queue; // newest at the back
    int m_inFlight = 0;
    int m_workers = 0;
    int m_limit = 256;
};

} // namespace poisonlab::ui
