#include "log/LogModel.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>

#include <algorithm>

namespace poisonlab::ui {

LogModel::LogModel(QObject *parent, int capacity) : QAbstractListModel(parent), m_capacity(std::max(1, capacity))
{
}

int LogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

const LogEntry &LogModel::entryAt(int row) const
{
    return m_entries[static_cast<std::size_t>(m_rows[static_cast<std::size_t>(row)] - m_firstSequence)];
}

QString LogModel::levelName(int level)
{
    static const char *const names[] = {"trace", "debug", "info", "warning", "error", "critical"};
    return level >= 0 && level <= 5 ? QString::fromLatin1(names[level]) : QString::number(level);
}

QString LogModel::lineText(int row) const
{
    const LogEntry &e = entryAt(row);
    const QString time = QDateTime::fromMSecsSinceEpoch(e.msSinceEpoch).toString(QStringLiteral("HH:mm:ss.zzz"));
    return QStringLiteral("%1  %2  %3")
        .arg(time, levelName(e.level).leftJustified(8), QString::fromStdString(e.message));
}

QString LogModel::text(QList<int> rows) const
{
    if (rows.isEmpty()) {
        rows.reserve(rowCount());
        for (int r = 0; r < rowCount(); ++r)
            rows.push_back(r);
    }
    std::sort(rows.begin(), rows.end());
    QStringList lines;
    lines.reserve(rows.size());
    for (int r : rows)
        lines.push_back(lineText(r));
    return lines.join(QLatin1Char('\n'));
}

QVariant LogModel::foreground(int level) const
{
    // Debug and trace are dimmed with the palette's own muted text; warnings and errors take a
    // fixed hue whose lightness follows the palette, so they read on light and dark themes.
    const QPalette palette = QGuiApplication::palette();
    if (level <= 1)
        return QBrush(palette.color(QPalette::Disabled, QPalette::Text));
    if (level == 2)
        return {};
    const bool dark = palette.color(QPalette::Base).lightness() < 128;
    const int hue = level == 3 ? 30 : 0; // orange, red
    return QBrush(QColor::fromHsl(hue, 200, dark ? 170 : 100));
}

QVariant LogModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const LogEntry &e = entryAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return lineText(index.row());
    case Qt::ToolTipRole:
        return QStringLiteral("%1  %2  [%3]  thread %4\n%5")
            .arg(QDateTime::fromMSecsSinceEpoch(e.msSinceEpoch).toString(Qt::ISODateWithMs), levelName(e.level),
                 QString::fromStdString(e.logger), QString::fromStdString(e.thread), QString::fromStdString(e.message));
    case Qt::ForegroundRole:
        return foreground(e.level);
    case Qt::FontRole:
        if (e.level >= 5) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case LevelRole:
        return e.level;
    case LoggerRole:
        return QString::fromStdString(e.logger);
    case MessageRole:
        return QString::fromStdString(e.message);
    case TimeRole:
        return QDateTime::fromMSecsSinceEpoch(e.msSinceEpoch);
    case ThreadRole:
        return QString::fromStdString(e.thread);
    default:
        return {};
    }
}

void LogModel::append(const std::vector<LogEntry> &entries)
{
    // Of a batch larger than the ring only its newest `capacity` entries could stay.
    const std::size_t skip = entries.size() > std::size_t(m_capacity) ? entries.size() - m_capacity : 0;
    const std::size_t incoming = entries.size() - skip;
    if (incoming == 0)
        return;
    const std::size_t total = m_entries.size() + incoming;
    const std::size_t overflow = total > std::size_t(m_capacity) ? total - m_capacity : 0;
    if (overflow > 0) {
        const std::uint64_t keepFrom = m_firstSequence + overflow;
        const auto firstKept = std::lower_bound(m_rows.begin(), m_rows.end(), keepFrom);
        const int removedRows = static_cast<int>(firstKept - m_rows.begin());
        if (removedRows > 0)
            beginRemoveRows({}, 0, removedRows - 1);
        m_rows.erase(m_rows.begin(), firstKept);
        m_entries.erase(m_entries.begin(), m_entries.begin() + static_cast<std::ptrdiff_t>(overflow));
        m_firstSequence = keepFrom;
        if (removedRows > 0)
            endRemoveRows();
    }
    std::vector<std::uint64_t> newRows;
    const std::uint64_t nextSequence = m_firstSequence + m_entries.size();
    for (std::size_t i = 0; i < incoming; ++i)
        if (entries[skip + i].level >= m_minimumLevel)
            newRows.push_back(nextSequence + i);
    if (!newRows.empty())
        beginInsertRows({}, rowCount(), rowCount() + static_cast<int>(newRows.size()) - 1);
    m_entries.insert(m_entries.end(), entries.begin() + static_cast<std::ptrdiff_t>(skip), entries.end());
    m_rows.insert(m_rows.end(), newRows.begin(), newRows.end());
    if (!newRows.empty())
        endInsertRows();
}

void LogModel::clear()
{
    beginResetModel();
    m_firstSequence += m_entries.size();
    m_entries.clear();
    m_rows.clear();
    endResetModel();
}

void LogModel::setMinimumLevel(int level)
{
    if (level == m_minimumLevel)
        return;
    beginResetModel();
    m_minimumLevel = level;
    rebuildRows();
    endResetModel();
}

void LogModel::rebuildRows()
{
    m_rows.clear();
    for (std::size_t i = 0; i < m_entries.size(); ++i)
        if (m_entries[i].level >= m_minimumLevel)
            m_rows.push_back(m_firstSequence + i);
}

} // namespace poisonlab::ui
