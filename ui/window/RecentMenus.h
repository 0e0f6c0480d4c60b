#pragma once

#include "poisonlab/core/data/DatasetSource.h"

#include <QObject>
#include <QString>

class QMenu;
class QWidget;

namespace poisonlab::ui {

class RecentItems;

/// File › Recent Datasets and Recent Runs: the two lists (RecentItems over QSettings) and their
/// menus, rebuilt when a list changes. Sweep folders are kept with the runs, marked "(sweep)". Choosing an entry whose
/// folder has gone removes it and says so (entryGone) instead of failing later.
class RecentMenus : public QObject {
    Q_OBJECT
public:
    explicit RecentMenus(QWidget *parent);

    QMenu *datasetsMenu() const { return m_datasetsMenu; }
    QMenu *runsMenu() const { return m_runsMenu; }
    RecentItems *datasets() const { return m_datasets; }
    RecentItems *runs() const { return m_runs; }

    void addDataset(const data::DatasetSource &source);
    void addRun(const QString &dir);
    void addSweep(const QString &dir);

Q_SIGNALS:
    void datasetChosen(const poisonlab::data::DatasetSource &source);
    void runChosen(const QString &dir);
    void sweepChosen(const QString &dir);
    /// A chosen entry's folder is gone (it was removed from its list); `dataset` tells which list.
    void entryGone(const QString &path, bool dataset);

private:
    void fillDatasets();
    void fillRuns();

    RecentItems *m_datasets;
    RecentItems *m_runs;
    QMenu *m_datasetsMenu;
    QMenu *m_runsMenu;
};

} // namespace poisonlab::ui
