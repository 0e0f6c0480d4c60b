#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace poisonlab {

/// One message of core's log (spdlog's default logger), as a listener receives it. Plain data,
/// copied freely across threads; no spdlog type leaks out.
struct LogEntry {
    int level = 2;                 ///< spdlog's levels: 0 trace, 1 debug, 2 info, 3 warning, 4 error, 5 critical
    std::string logger;            ///< the logger's name (the app name after initLogging, "" for spdlog's own default)
    std::string message;           ///< the formatted text, without level or time
    std::int64_t msSinceEpoch = 0; ///< when it was logged (system clock)
    std::string thread;            ///< the logging thread's id, as text
};

/// Keeps one listener subscribed to the log; destroying (or reset()ting) it unsubscribes. Once
/// the destructor returns the callback is not running and is never called again, so it may
/// capture objects that die right after the subscription. Thread-safe; move-only.
class LogSubscription {
public:
    struct Listener;

    LogSubscription() = default;
    explicit LogSubscription(std::shared_ptr<Listener> listener);
    ~LogSubscription();
    LogSubscription(LogSubscription &&other) noexcept = default;
    LogSubscription &operator=(LogSubscription &&other) noexcept;
    LogSubscription(const LogSubscription &) = delete;
    LogSubscription &operator=(const LogSubscription &) = delete;

    /// Unsubscribes now (waits for a call of this listener in progress on another thread).
    void reset();
    bool active() const { return m_listener != nullptr; }

private:
    std::shared_ptr<Listener> m_listener;
};

/// Calls `callback` for every message the default logger passes (its level decides, e.g. debug
/// and up after initLogging). The callback runs on the thread that logged, one call at a time
/// per subscription; it must be quick, and whatever it logs itself is dropped rather than
/// delivered again. The forwarding sink is attached to the default logger on first use and is
/// part of what initLogging() installs, so subscriptions survive it. Attach before other threads
/// start logging (as with initLogging): spdlog does not guard a logger swap against loggers in
/// flight.
LogSubscription subscribeToLog(std::function<void(const LogEntry &)> callback);

} // namespace poisonlab
