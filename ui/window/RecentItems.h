#pragma once

#include <QList>
#include <QObject>
#include <QString>
#include <QVariantMap>

namespace poisonlab::ui {

/// A most-recent-first list kept in QSettings (File › Recent Datasets, Recent Runs): adding an
/// entry moves it to the front, an equal entry is not kept twice, and the list holds at most
/// `maximum` entries. Each entry is a small map (a dataset's format, root and annotations; a
/// run's folder), written back at once so a crash loses nothing.
class RecentItems : public QObject {
    Q_OBJECT
public:
    /// `settingsFile` empty: the application's QSettings; else that INI file (tests).
    RecentItems(const QString &key, int maximum, QObject *parent = nullptr, const QString &settingsFile = {});

    void add(const QVariantMap &entry);
    void remove(const QVariantMap &entry);
    void clear();
    const QList<QVariantMap> &entries() const { return m_entries; }

Q_SIGNALS:
    void changed();

private:
    void save();

    QString m_key;
    int m_maximum;
    QString m_settingsFile;
    QList<QVariantMap> m_entries;
};

} // namespace poisonlab::ui
