#include "LogForwardingSink.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace poisonlab {

namespace {
thread_local bool t_delivering = false; // set while this thread runs listeners

LogEntry toEntry(const spdlog::details::log_msg &msg)
{
    LogEntry entry;
    entry.level = static_cast<int>(msg.level);
    entry.logger.assign(msg.logger_name.data(), msg.logger_name.size());
    entry.message.assign(msg.payload.data(), msg.payload.size());
    entry.msSinceEpoch = std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
    entry.thread = std::to_string(msg.thread_id);
    return entry;
}
} // namespace

const std::shared_ptr<LogForwardingSink> &LogForwardingSink::instance()
{
    static auto *sink = new std::shared_ptr<LogForwardingSink>(std::make_shared<LogForwardingSink>());
    return *sink;
}

void LogForwardingSink::attachToDefaultLogger()
{
    std::lock_guard lock(m_attachMutex);
    std::shared_ptr<spdlog::logger> current = spdlog::default_logger();
    if (!current)
        return;
    const auto &sinks = current->sinks();
    if (std::any_of(sinks.begin(), sinks.end(), [this](const spdlog::sink_ptr &s) { return s.get() == this; }))
        return;
    std::shared_ptr<spdlog::logger> replacement = current->clone(current->name());
    replacement->sinks().push_back(instance());
    m_retiredLoggers.push_back(current);
    spdlog::set_default_logger(replacement);
}

void LogForwardingSink::add(ListenerPtr listener)
{
    std::lock_guard lock(m_listenersMutex);
    auto next = std::make_shared<ListenerList>(*m_listeners);
    next->push_back(std::move(listener));
    m_listeners = std::move(next);
}

void LogForwardingSink::remove(const ListenerPtr &listener)
{
    {
        std::lock_guard callLock(listener->mutex); // waits for a call of it in progress
        listener->active = false;
    }
    std::lock_guard lock(m_listenersMutex);
    auto next = std::make_shared<ListenerList>(*m_listeners);
    next->erase(std::remove(next->begin(), next->end(), listener), next->end());
    m_listeners = std::move(next);
}

void LogForwardingSink::sink_it_(const spdlog::details::log_msg &msg)
{
    if (t_delivering)
        return;
    std::shared_ptr<const ListenerList> listeners;
    {
        std::lock_guard lock(m_listenersMutex);
        listeners = m_listeners;
    }
    if (listeners->empty())
        return;
    const LogEntry entry = toEntry(msg);
    t_delivering = true;
    for (const ListenerPtr &listener : *listeners) {
        std::lock_guard callLock(listener->mutex);
        if (!listener->active)
            continue;
        try {
            listener->callback(entry);
        } catch (...) {
            // A listener's failure must not reach the code that logged.
        }
    }
    t_delivering = false;
}

} // namespace poisonlab
