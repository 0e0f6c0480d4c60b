#include "log/LogSink.h"

#include "jobs/HandOff.h"

#include <QMetaObject>

#include <algorithm>
#include <iterator>

namespace poisonlab::ui {

LogSink::LogSink(QObject *parent, int capacity)
    : QObject(parent), m_capacity(static_cast<std::size_t>(std::max(1, capacity))),
      m_subscription(subscribeToLog([this](const LogEntry &entry) { receive(entry); }))
{
}

LogSink::~LogSink()
{
    // No call of receive() runs or starts after this; a flush already posted dies with the QObject.
    m_subscription.reset();
}

std::uint64_t LogSink::droppedCount() const
{
    std::lock_guard lock(m_mutex);
    return m_dropped;
}

void LogSink::receive(const LogEntry &entry)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_pending.size() >= m_capacity) {
            m_pending.pop_front();
            ++m_dropped;
        }
        m_pending.push_back(entry);
        if (m_flushPosted)
            return;
        m_flushPosted = true;
    }
    // Outside m_mutex: a post takes HandOff's lock, and nothing may wait for it holding ours.
    HandOff::post([this] { QMetaObject::invokeMethod(this, &LogSink::flush, Qt::QueuedConnection); });
}

void LogSink::flush()
{
    std::vector<LogEntry> batch;
    {
        std::lock_guard lock(m_mutex);
        batch.assign(std::make_move_iterator(m_pending.begin()), std::make_move_iterator(m_pending.end()));
        m_pending.clear();
        m_flushPosted = false;
    }
    if (batch.empty())
        return;
    ++m_flushCount;
    Q_EMIT entriesArrived(batch);
}

} // namespace poisonlab::ui
