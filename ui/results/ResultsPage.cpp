#include "results/ResultsPage.h"

#include "analysis/DistanceDensityView.h"
#include "analysis/EmbeddingShiftView.h"
#include "poisonlab/core/experiment/CleanCounterpart.h"
#include "results/RunComparisonView.h"
#include "results/RunViewer.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>

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
    connect(this, &QTabWidget::currentChanged, this, &ResultsPage::syncCurrentView);
    connect(this, &ResultsPage::analysisRunsChanged, this, &ResultsPage::syncCurrentView);

    m_density = new DistanceDensityView(this);
    addAnalysisView(m_density, tr("Distances"));
    connect(m_density, &DistanceDensityView::runFinished, this, &ResultsPage::runMade);
    m_shift = new EmbeddingShiftView(this);
    addAnalysisView(m_shift, tr("Embedding Shift"));
    connect(m_shift, &EmbeddingShiftView::pickCleanRunRequested, this, &ResultsPage::chooseCleanRun);
}

void ResultsPage::syncCurrentView()
{
    for (AnalysisTab &tab : m_views)
        if (tab.view == currentWidget() && (!tab.hasGiven || !(tab.given == m_runs))) {
            tab.given = m_runs;
            tab.hasGiven = true;
            tab.setRuns(m_runs);
        }
}

void ResultsPage::setCleanRun(const QString &dir)
{
    const QString clean = dir.isEmpty() ? QString() : QDir::cleanPath(QDir(dir).absolutePath());
    if (clean == m_runs.clean)
        return;
    m_runs.clean = clean;
    Q_EMIT analysisRunsChanged(m_runs);
}

void ResultsPage::chooseCleanRun()
{
    const QString dir =
        QFileDialog::getExistingDirectory(this, tr("The clean run to compare with"), QFileInfo(m_runs.poisoned).path());
    if (!dir.isEmpty())
        setCleanRun(dir);
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
