#pragma once

#include "jobs/ProgressThrottle.h"
#include "poisonlab/core/Progress.h"

#include <QElapsedTimer>

#include <atomic>
#include <functional>

namespace poisonlab::ui {

/// The ProgressReporter one job hands to core. report() runs on the job's thread: events pass
/// the throttle and go to `forward` (which emits a queued signal); cancel() may be called from
/// any thread and makes wasCancelled() true, so core stops at its next check.
class JobProgress final : public ProgressReporter {
public:
    using Forward = std::function<void(const ProgressEvent &)>;

    JobProgress(ProgressThrottle throttle, Forward forward);

    void report(const ProgressEvent &event) override;
    bool wasCancelled() const override { return m_cancelled.load(std::memory_order_relaxed); }
    void cancel() noexcept { m_cancelled.store(true, std::memory_order_relaxed); }

private:
    ProgressThrottle m_throttle; ///< only touched on the job's thread
    Forward m_forward;
    QElapsedTimer m_clock;
    std::atomic<bool> m_cancelled{false};
};

} // namespace poisonlab::ui
