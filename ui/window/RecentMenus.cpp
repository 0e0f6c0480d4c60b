#include "window/RecentMenus.h"

#include "window/RecentItems.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QWidget>

namespace poisonlab::ui {

namespace {

// How Recent Datasets remembers a dataset: what reopens it.
QVariantMap datasetEntry(const data::DatasetSource &source)
{
    QStringList annotations;
    for (const auto &a : source.annotations)
        annotations << QString::fromStdString(a.string());
    return {{QStringLiteral("format"), QString::fromStdString(source.format)},
            {QStringLiteral("root"), QString::fromStdString(source.root.string())},
            {QStringLiteral("annotations"), annotations}};
}

data::DatasetSource datasetSource(const QVariantMap &entry)
{
    data::DatasetSource source;
    source.format = entry.value(QStringLiteral("format")).toString().toStdString();
    source.root = entry.value(QStringLiteral("root")).toString().toStdString();
    for (const QString &a : entry.value(QStringLiteral("annotations")).toStringList())
        source.annotations.emplace_back(a.toStdString());
    return source;
}

} // namespace

RecentMenus::RecentMenus(QWidget *parent)
    : QObject(parent), m_datasets(new RecentItems(QStringLiteral("recent/datasets"), 8, this)),
      m_runs(new RecentItems(QStringLiteral("recent/runs"), 8, this)),
      m_datasetsMenu(new QMenu(tr("Recent &Datasets"), parent)), m_runsMenu(new QMenu(tr("Recent R&uns"), parent))
{
    fillDatasets();
    fillRuns();
    connect(m_datasets, &RecentItems::changed, this, &RecentMenus::fillDatasets);
    connect(m_runs, &RecentItems::changed, this, &RecentMenus::fillRuns);
}

void RecentMenus::addDataset(const data::DatasetSource &source)
{
    m_datasets->add(datasetEntry(source));
}

void RecentMenus::addRun(const QString &dir)
{
    m_runs->add({{QStringLiteral("dir"), QDir::cleanPath(QDir(dir).absolutePath())}});
}

void RecentMenus::addSweep(const QString &dir)
{
    m_runs->add({{QStringLiteral("dir"), QDir::cleanPath(QDir(dir).absolutePath())},
                 {QStringLiteral("kind"), QStringLiteral("sweep")}});
}

void RecentMenus::fillDatasets()
{
    m_datasetsMenu->clear();
    for (const QVariantMap &entry : m_datasets->entries()) {
        const data::DatasetSource source = datasetSource(entry);
        const QString root = QString::fromStdString(source.root.string());
        QAction *action = m_datasetsMenu->addAction(
            tr("%1 (%2)").arg(QFileInfo(root).fileName(), QString::fromStdString(source.format)));
        action->setStatusTip(root);
        connect(action, &QAction::triggered, this, [this, entry, source, root] {
            if (!QFileInfo(root).isDir()) {
                m_datasets->remove(entry);
                Q_EMIT entryGone(root, true);
                return;
            }
            Q_EMIT datasetChosen(source);
        });
    }
    m_datasetsMenu->addSeparator();
    m_datasetsMenu->addAction(tr("Clear Recent Datasets"), m_datasets, &RecentItems::clear)
        ->setEnabled(!m_datasets->entries().isEmpty());
}

void RecentMenus::fillRuns()
{
    m_runsMenu->clear();
    for (const QVariantMap &entry : m_runs->entries()) {
        const QString dir = entry.value(QStringLiteral("dir")).toString();
        const bool sweep = entry.value(QStringLiteral("kind")).toString() == QLatin1String("sweep");
        QAction *action =
            m_runsMenu->addAction(sweep ? tr("%1 (sweep)").arg(QFileInfo(dir).fileName()) : QFileInfo(dir).fileName());
        action->setStatusTip(dir);
        connect(action, &QAction::triggered, this, [this, entry, dir, sweep] {
            if (!QFileInfo(dir).isDir()) {
                m_runs->remove(entry);
                Q_EMIT entryGone(dir, false);
                return;
            }
            if (sweep)
                Q_EMIT sweepChosen(dir);
            else
                Q_EMIT runChosen(dir);
        });
    }
    m_runsMenu->addSeparator();
    m_runsMenu->addAction(tr("Clear Recent Runs"), m_runs, &RecentItems::clear)
        ->setEnabled(!m_runs->entries().isEmpty());
}

} // namespace poisonlab::ui
