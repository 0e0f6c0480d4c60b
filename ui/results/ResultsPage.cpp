#include "results/ResultsPage.h"

#include "poisonlab/core/experiment/CleanCounterpart.h"
#include "results/RunComparisonView.h"
#include "results/RunViewer.h"

#include <QDir>

namespace poisonlab::ui {

ResultsPage::ResultsPage(QWidget *parent) : QTabWidget(parent)
{
    setObjectName(QStringLiteral("resultsTabs"));
    setDocumentMode(true);
    qRegisterMetaType<AnalysisRuns>();
    m_viewer = new RunViewer(this);
    m_comparison = new RunComparisonView(this);
    addTab(m_viewer, tr("Run"));
    addTab(m_comparison, tr("Compare Runs"));
    connect(m_viewer, &RunViewer::runOpened, this, &ResultsPage::runShown);
}

void ResultsPage::showRun(const QString &dir)
{
    setCurrentWidget(m_viewer);
    m_viewer->openRunInBackground(dir);
}

void ResultsPage::compare(const QStringList &dirs)
{
    while (m_comparison->runCount() > 0)
        m_comparison->removeRun(0);
    m_comparison->addRuns(dirs);
    setCurrentWidget(m_comparison);
}

// Looking for the counterpart lists one folder and reads a few run.json files: quick enough here.
void ResultsPage::runShown(const QString &dir)
{
    AnalysisRuns runs;
    runs.poisoned = QDir::cleanPath(QDir(dir).absolutePath());
    if (const auto clean = experiment::findCleanCounterpart(dir.toStdString()))
        runs.clean = QDir::cleanPath(QString::fromStdString(clean->string()));
    if (runs == m_runs)
        return;
    m_runs = runs;
    Q_EMIT analysisRunsChanged(m_runs);
}

} // namespace poisonlab::ui
