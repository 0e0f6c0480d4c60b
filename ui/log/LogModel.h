#pragma once

#include "poisonlab/core/LogListener.h"

#include <QAbstractListModel>
#include <QStringList>

#include <cstdint>
#include <deque>
#include <vector>

namespace poisonlab::ui {

/// The log pane's lines: a ring of the newest `capacity` entries (all levels) and a minimum
/// level that decides which of them are rows. Appending a batch drops the oldest entries past
/// the capacity (one row removal at the top, one insertion at the bottom); changing the level
/// re-filters what the ring holds. Strings become QString only when a view asks.
class LogModel : public QAbstractListModel {
    Q_OBJECT
public:
    static constexpr int DefaultCapacity = 5000;
    enum Role { LevelRole = Qt::UserRole + 1, LoggerRole, MessageRole, TimeRole, ThreadRole };

    explicit LogModel(QObject *parent = nullptr, int capacity = DefaultCapacity);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void append(const std::vector<LogEntry> &entries);
    void clear();

    /// Rows show entries at `level` and above (0 trace … 5 critical).
    void setMinimumLevel(int level);
    int minimumLevel() const { return m_minimumLevel; }
    int capacity() const { return m_capacity; }
    /// Entries held, shown or not.
    int entryCount() const { return static_cast<int>(m_entries.size()); }

    const LogEntry &entryAt(int row) const;
    /// The row as it reads in the view: "HH:mm:ss.zzz  level     message".
    QString lineText(int row) const;
    /// The given rows' lines (all rows when `rows` is empty), one per line, in row order.
    QString text(QList<int> rows = {}) const;

    static QString levelName(int level);

private:
    void rebuildRows();
    QVariant foreground(int level) const;

    int m_capacity;
    int m_minimumLevel = 0;
    std::deque<LogEntry> m_entries;    // the ring, oldest first
    std::uint64_t m_firstSequence = 0; // sequence number of m_entries.front()
    std::deque<std::uint64_t> m_rows;  // sequence numbers of the shown entries
};

} // namespace poisonlab::ui
