#pragma once

#include "log/LogModel.h"

#include <QWidget>

#include <vector>

class QComboBox;
class QListView;
class QPushButton;

namespace poisonlab::ui {

class LogSink;

/// Core's log, live: a level filter (Trace … Error; critical always shows), Copy (the selected
/// lines, or every visible line when none is selected; also Ctrl+C in the list), Clear, and a list
/// that follows new lines while it is scrolled to the bottom. Owns its LogSink and LogModel.
class LogPane : public QWidget {
    Q_OBJECT
public:
    explicit LogPane(QWidget *parent = nullptr, int capacity = LogModel::DefaultCapacity);

    LogModel *model() const { return m_model; }
    LogSink *sink() const { return m_sink; }
    QListView *view() const { return m_view; }
    QComboBox *levelCombo() const { return m_level; }

    /// Shows entries at `level` and above (0 trace … 4 error).
    void setMinimumLevel(int level);
    /// Puts the selected lines (or all visible ones) on the clipboard.
    void copy();
    void clear();

private:
    void addEntries(const std::vector<LogEntry> &entries);

    LogModel *m_model;
    LogSink *m_sink;
    QComboBox *m_level;
    QPushButton *m_copy;
    QPushButton *m_clear;
    QListView *m_view;
};

} // namespace poisonlab::ui
