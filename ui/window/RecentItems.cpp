#include "window/RecentItems.h"

#include <QSettings>

#include <memory>

namespace poisonlab::ui {

namespace {

std::unique_ptr<QSettings> openSettings(const QString &file)
{
    return file.isEmpty() ? std::make_unique<QSettings>() : std::make_unique<QSettings>(file, QSettings::IniFormat);
}

} // namespace

RecentItems::RecentItems(const QString &key, int maximum, QObject *parent, const QString &settingsFile)
    : QObject(parent), m_key(key), m_maximum(maximum), m_settingsFile(settingsFile)
{
    const auto settings = openSettings(m_settingsFile);
    for (const QVariant &v : settings->value(m_key).toList())
        if (const QVariantMap entry = v.toMap(); !entry.isEmpty() && m_entries.size() < m_maximum)
            m_entries << entry;
}

void RecentItems::add(const QVariantMap &entry)
{
    if (entry.isEmpty())
        return;
    m_entries.removeAll(entry);
    m_entries.prepend(entry);
    while (m_entries.size() > m_maximum)
        m_entries.removeLast();
    save();
}

void RecentItems::remove(const QVariantMap &entry)
{
    if (m_entries.removeAll(entry) > 0)
        save();
}

void RecentItems::clear()
{
    m_entries.clear();
    save();
}

void RecentItems::save()
{
    QVariantList list;
    for (const QVariantMap &entry : std::as_const(m_entries))
        list << entry;
    const auto settings = openSettings(m_settingsFile);
    settings->setValue(m_key, list);
    settings->sync();
    Q_EMIT changed();
}

} // namespace poisonlab::ui
