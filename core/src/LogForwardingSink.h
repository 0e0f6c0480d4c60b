#pragma once

#include "poisonlab/core/LogListener.h"

#include <spdlog/details/null_mutex.h>
#include <spdlog/logger.h>
#include <spdlog/sinks/base_sink.h>

#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace poisonlab {

/// What a LogSubscription holds: the callback and the lock that makes unsubscribing wait for a
/// call in progress (recursive, so a callback may drop its own subscription).
struct LogSubscription::Listener {
    std::recursive_mutex mutex;
    bool active = true;
    std::function<void(const LogEntry &)> callback;
};

/// The one spdlog sink behind subscribeToLog(): turns each message into a LogEntry and hands it
/// to every listener on the logging thread. base_sink's own lock is a null_mutex: the listener
/// list is a copy-on-write snapshot, so threads deliver in parallel, each listener one call at a
/// time under its own lock, and a message logged from inside a callback is dropped instead of
/// deadlocking on a sink lock.
class LogForwardingSink final : public spdlog::sinks::base_sink<spdlog::details::null_mutex> {
public:
    using ListenerPtr = std::shared_ptr<LogSubscription::Listener>;

    /// The process's only instance (never destroyed, so loggers alive at exit may still use it).
    static const std::shared_ptr<LogForwardingSink> &instance();

    /// Makes sure spdlog's default logger writes to this sink: when it does not (initLogging was
    /// never called, or someone installed another logger), the default logger is replaced by a
    /// clone with this sink added; the old one is kept alive for calls still using it.
    void attachToDefaultLogger();

    void add(ListenerPtr listener);
    /// Deactivates `listener` (waiting for a call in progress) and forgets it.
    void remove(const ListenerPtr &listener);

protected:
    void sink_it_(const spdlog::details::log_msg &msg) override;
    void flush_() override {}

private:
    using ListenerList = std::vector<ListenerPtr>;

    std::mutex m_listenersMutex;
    std::shared_ptr<const ListenerList> m_listeners = std::make_shared<const ListenerList>();
    std::mutex m_attachMutex;
    std::vector<std::shared_ptr<spdlog::logger>> m_retiredLoggers;
};

} // namespace poisonlab
