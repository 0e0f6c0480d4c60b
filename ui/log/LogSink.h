#pragma once

#include "poisonlab/core/LogListener.h"

#include <QObject>

#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace poisonlab::ui {

/// Brings core's log messages to the GUI thread. It subscribes to core (subscribeToLog) and, on
/// whatever thread logs, adds each entry to a pending batch under a mutex; the first entry of a
/// batch posts one queued flush to this object's thread, which emits the whole batch at once.
/// So at most one event waits in the event loop however fast threads log, and a burst of 100k
/// lines becomes a few signals. The batch keeps at most `capacity` entries (the newest). The
/// destructor unsubscribes first (waiting for a call in progress) and Qt drops a posted flush.
class LogSink : public QObject {
    Q_OBJECT
public:
    explicit LogSink(QObject *parent = nullptr, int capacity = 5000);
    ~LogSink() override;

    /// How many batches have been emitted (for tests and the curious).
    int flushCount() const { return m_flushCount; }
    /// Entries dropped because more than `capacity` arrived between two flushes.
    std::uint64_t droppedCount() const;

Q_SIGNALS:
    /// Emitted on this object's thread with the entries logged since the last batch, oldest first.
    void entriesArrived(const std::vector<poisonlab::LogEntry> &entries);

private:
    void receive(const LogEntry &entry); // on the logging thread
    void flush();                        // on this object's thread

    const std::size_t m_capacity;
    mutable std::mutex m_mutex;
    std::deque<LogEntry> m_pending;
    bool m_flushPosted = false;
    std::uint64_t m_dropped = 0;
    int m_flushCount = 0;
    LogSubscription m_subscription; // last member: subscribed once the rest exists
};

} // namespace poisonlab::ui
