#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>

namespace poisonlab {

/// One progress notification from long-running work (dataset import, training, evaluation...).
struct ProgressEvent {
    std::string stage;       ///< what is being done, e.g. "train", "evaluate", "demo-data"
    long long done = 0;      ///< units finished in this stage
    long long total = 0;     ///< units in this stage; 0 when unknown
    std::string message;     ///< optional human-readable detail
    std::map<std::string, double> values; ///< numbers such as loss, lr, samples_per_s, eta_s
};

/// The engine's progress and cancellation interface. Core calls report() from whatever thread
/// does the work and polls wasCancelled() between units; it never knows who listens (a CLI
/// printer, a Qt worker, a test).
class ProgressReporter {
public:
    virtual ~ProgressReporter();
    virtual void report(const ProgressEvent &event) = 0;
    virtual bool wasCancelled() const = 0;

    /// Throws CancelledError when cancelled; call between units of work.
    void throwIfCancelled() const;
};

/// Reports nothing and is never cancelled.
class NullProgress final : public ProgressReporter {
public:
    void report(const ProgressEvent &) override {}
    bool wasCancelled() const override { return false; }
};

/// Forwards events to a callback; cancel() may be called from any thread.
class CallbackProgress final : public ProgressReporter {
public:
    using Callback = std::function<void(const ProgressEvent &)>;
    explicit CallbackProgress(Callback callback = {});

    void report(const ProgressEvent &event) override;
    bool wasCancelled() const override;
    void cancel() noexcept;

private:
    Callback m_callback;
    std::atomic<bool> m_cancelled{false};
};

} // namespace poisonlab
