#pragma once

#include "poisonlab/core/Progress.h"

#include <cstdint>
#include <functional>
#include <string>

namespace poisonlab::ui {

/// Decides which of core's progress events reach the GUI thread, so a 600k-caption import or a
/// per-batch evaluation does not flood it. An event goes out when it is one the owner wants
/// every copy of (a training step for the loss chart), when it starts a new stage, when it ends
/// its stage (done == total), or when `intervalMs` have passed since the last one that went out.
/// Pure logic with the clock passed in, so it is tested without threads or timers.
class ProgressThrottle {
public:
    using Predicate = std::function<bool(const ProgressEvent &)>;

    explicit ProgressThrottle(int intervalMs = 50, Predicate deliverEvery = {});

    /// True when `event`, reported at `nowMs` (any monotonic clock), should be delivered.
    bool admit(const ProgressEvent &event, std::int64_t nowMs);

private:
    int m_intervalMs;
    Predicate m_deliverEvery;
    std::string m_lastStage;
    std::int64_t m_lastMs = 0;
    bool m_anyDelivered = false;
};

} // namespace poisonlab::ui
