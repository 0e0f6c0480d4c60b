#include "results/ResultsPage.h"

#include "analysis/ClassPairGridView.h"
#include "analysis/DefensePanel.h"
#include "analysis/DistanceDensityView.h"
#include "analysis/EmbeddingGallery.h"
#include "analysis/EmbeddingMapPanel.h"
#include "analysis/EmbeddingShiftView.h"
#include "analysis/RetrievalExplorer.h"
#include "poisonlab/core/experiment/CleanCounterpart.h"
#include "results/RunComparisonView.h"
#include "results/RunViewer.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QSet>

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
    createAnalysisViews();
}

// Why a model is poisoned: each view a tab, fed the run shown and its clean counterpart.
void ResultsPage::createAnalysisViews()
{
    m_retrieval = new RetrievalExplorer(this);
    m_retrieval->setObjectName(QStringLiteral("retrieval"));
    addAnalysisView(m_retrieval, tr("Retrieval"));
    connect(m_retrieval, &RetrievalExplorer::imagesSelected, this,
            [this](const QStringList &paths) { Q_EMIT imagesSelected(paths, tr("the retrieval explorer")); });
    m_map = new EmbeddingMapPanel(this);
    m_map->setObjectName(QStringLiteral("embeddingMap"));
    addAnalysisView(m_map, tr("Embedding Map"));
    connect(m_map, &EmbeddingMapPanel::pairsSelected, this, &ResultsPage::mapSelected);
    m_density = new DistanceDensityView(this);
    m_density->setObjectName(QStringLiteral("distances"));
    addAnalysisView(m_density, tr("Distances"));
    connect(m_density, &DistanceDensityView::runFinished, this, &ResultsPage::runMade);
    m_shift = new EmbeddingShiftView(this);
    m_shift->setObjectName(QStringLiteral("embeddingShift"));
    addAnalysisView(m_shift, tr("Embedding Shift"));
    connect(m_shift, &EmbeddingShiftView::pickCleanRunRequested, this, &ResultsPage::chooseCleanRun);
    m_defense = new DefensePanel(this);
    m_defense->setObjectName(QStringLiteral("defense"));
    addAnalysisView(m_defense, tr("Defense"));
    connect(m_defense, &DefensePanel::defenseFinished, this, &ResultsPage::runMade);
    m_classPairs = new ClassPairGridView(this);
    m_classPairs->setObjectName(QStringLiteral("classPairs"));
    addAnalysisView(m_classPairs, tr("Class Pairs"));
    connect(m_classPairs, &ClassPairGridView::designAttackRequested, this, &ResultsPage::designAttackRequested);
}

QStringList ResultsPage::tabIds()
{
    return {QStringLiteral("retrieval"),      QStringLiteral("embeddingMap"), QStringLiteral("distances"),
            QStringLiteral("embeddingShift"), QStringLiteral("defense"),      QStringLiteral("classPairs")};
}

bool ResultsPage::showTab(const QString &id)
{
    for (int i = 0; i < count(); ++i)
        if (widget(i)->objectName() == id) {
            setCurrentIndex(i);
            return true;
        }
    return false;
}

void ResultsPage::selectImagesInViews(const QStringList &imagePaths)
{
    const EmbeddingGalleryPtr gallery = m_map->gallery();
    if (!gallery)
        return;
    const QSet<QString> wanted(imagePaths.begin(), imagePaths.end());
    QList<int> rows;
    for (size_t r = 0; r < gallery->images.size(); ++r)
        if (wanted.contains(gallery->images[r].path))
            rows << int(r);
    m_map->selectRows({}, rows);
}

// A selection on the map names gallery rows; the browser wants image paths (a caption brings its
// image).
void ResultsPage::mapSelected(const QList<int> &captionRows, const QList<int> &imageRows)
{
    const EmbeddingGalleryPtr gallery = m_map->gallery();
    if (!gallery)
        return;
    QSet<int> rows(imageRows.begin(), imageRows.end());
    for (int c : captionRows)
        if (c >= 0 && size_t(c) < gallery->captions.size())
            rows.insert(gallery->captions[c].imageRow);
    QStringList paths;
    for (int r : rows)
        if (r >= 0 && size_t(r) < gallery->images.size())
            paths << gallery->images[r].path;
    Q_EMIT imagesSelected(paths, tr("the embedding map"));
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
