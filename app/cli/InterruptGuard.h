#pragma once

#include "poisonlab/core/Progress.h"

namespace poisonlab::cli {

/// While alive, SIGINT and SIGTERM (Ctrl-C, kill) cancel `progress` instead of killing the
/// process, so long work stops at its next check and leaves a resumable run. A second signal
/// while the first is being handled restores the default action (a second Ctrl-C kills).
/// One guard at a time per process.
class InterruptGuard {
public:
    explicit InterruptGuard(CallbackProgress &progress);
    ~InterruptGuard();
    InterruptGuard(const InterruptGuard &) = delete;
    InterruptGuard &operator=(const InterruptGuard &) = delete;

    /// True once a signal arrived.
    static bool interrupted();
};

} // namespace poisonlab::cli
