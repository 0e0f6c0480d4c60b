#include "poisonlab/core/LogListener.h"

#include "LogForwardingSink.h"

namespace poisonlab {

LogSubscription::LogSubscription(std::shared_ptr<Listener> listener) : m_listener(std::move(listener))
{
}

LogSubscription::~LogSubscription()
{
    reset();
}

LogSubscription &LogSubscription::operator=(LogSubscription &&other) noexcept
{
    if (this != &other) {
        reset();
        m_listener = std::move(other.m_listener);
    }
    return *this;
}

void LogSubscription::reset()
{
    if (!m_listener)
        return;
    std::shared_ptr<Listener> listener = std::move(m_listener);
    LogForwardingSink::instance()->remove(listener);
}

LogSubscription subscribeToLog(std::function<void(const LogEntry &)> callback)
{
    const auto &sink = LogForwardingSink::instance();
    sink->attachToDefaultLogger();
    auto listener = std::make_shared<LogSubscription::Listener>();
    listener->callback = std::move(callback);
    sink->add(listener);
    return LogSubscription(std::move(listener));
}

} // namespace poisonlab
