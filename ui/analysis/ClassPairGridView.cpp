#include "analysis/ClassPairGridView.h"

#include "charts/ChartExportDialog.h"
#include "jobs/JobRunner.h"
#include "style/StatusColors.h"

#include "poisonlab/core/experiment/MinRankGridFile.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <filesystem>

using GridPtr = std::shared_ptr<const poisonlab::analysis::MinRankGrid>;
Q_DECLARE_METATYPE(GridPtr)

namespace poisonlab::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}

QString gridFile(const QString &run)
{
    return QString::fromStdString(experiment::minRankGridPath(toPath(run)).string());
}

} // namespace

ClassPairGridView::ClassPairGridView(QWidget *parent)
    : QWidget(parent), m_runner(new JobRunner(QStringLiteral("class-pair grid"), this))
{
    m_heading = new QLabel(tr("Class-pair grid"), this);
    QFont bold = m_heading->font();
    bold.setBold(true);
    m_heading->setFont(bold);
    m_run = new QComboBox(this);
    m_run->setToolTip(tr("The run whose grid is shown: the poisoned model, or its clean counterpart"));
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("MinRank (mean)"), int(GridMetric::MinRank));
    m_metric->addItem(tr("Hit@10"), int(GridMetric::HitAtK));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setToolTip(tr("Save the grid as PNG, SVG or PDF (light, for slides)"));
    auto *tools = new QHBoxLayout;
    tools->addWidget(m_heading);
    tools->addStretch(1);
    tools->addWidget(m_run);
    tools->addWidget(new QLabel(tr("Show:"), this));
    tools->addWidget(m_metric);
    tools->addWidget(m_export);

    auto *explain =
        new QLabel(tr("Row A, column B: the goal \"A's captions retrieve B's images\" under this run's model, on its "
                      "test split. MinRank: images ranked above the best image of B (0 is best); Hit@10: share of A's "
                      "captions with MinRank below 10. Bright cells are pairs the model already links. Click a cell to "
                      "design the attack A → B."),
                   this);
    explain->setWordWrap(true);

    m_heatmap = new ClassPairHeatmap(this);
    auto *missing = new QWidget(this);
    m_message = new QLabel(missing);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_compute = new QPushButton(tr("Compute"), missing);
    m_compute->setToolTip(tr("Compute the grid from the run's evaluation record (results/embeddings/final) "
                             "and keep it in results/analysis/minrank_grid.json"));
    m_cancel = new QPushButton(tr("Cancel"), missing);
    m_progress = new QProgressBar(missing);
    m_progress->setTextVisible(true);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_compute);
    buttons->addWidget(m_progress);
    buttons->addWidget(m_cancel);
    buttons->addStretch(1);
    auto *missingLayout = new QVBoxLayout(missing);
    missingLayout->addStretch(1);
    missingLayout->addWidget(m_message);
    missingLayout->addLayout(buttons);
    missingLayout->addStretch(2);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_heatmap);
    m_stack->addWidget(missing);

    m_hover = new QLabel(this);
    m_hover->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(explain);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_hover);

    connect(m_metric, &QComboBox::currentIndexChanged, this,
            [this] { m_heatmap->setMetric(GridMetric(m_metric->currentData().toInt())); });
    connect(m_run, &QComboBox::activated, this, [this](int index) { showCleanRun(index == 1); });
    connect(m_export, &QPushButton::clicked, this, &ClassPairGridView::exportInteractively);
    connect(m_compute, &QPushButton::clicked, this, &ClassPairGridView::compute);
    connect(m_cancel, &QPushButton::clicked, this, &ClassPairGridView::cancel);
    connect(m_heatmap, &ClassPairHeatmap::cellClicked, this, &ClassPairGridView::onCellClicked);
    connect(m_heatmap, &ClassPairHeatmap::cellHovered, this, [this] { m_hover->setText(hoverLine()); });
    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        m_progress->setRange(0, int(std::max<long long>(e.total, 1)));
        m_progress->setValue(int(e.done));
        m_progress->setFormat(QString::fromStdString(e.message));
    });
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showGrid(result.value<GridPtr>()); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        const QString text = file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message;
        showMessage(m_computing ? tr("The grid could not be computed: %1").arg(text) : text, true);
    });
    connect(m_runner, &JobRunner::cancelled, this, [this] {
        showMessage(
            tr("Cancelled: nothing was written. %1 still has no class-pair grid.").arg(QFileInfo(m_current).fileName()),
            true);
    });
    connect(m_runner, &JobRunner::busyChanged, this, [this](bool busy) {
        m_progress->setVisible(busy && m_computing);
        m_cancel->setVisible(busy && m_computing);
        m_compute->setEnabled(!busy);
        m_run->setEnabled(!busy);
    });
    m_progress->hide();
    m_cancel->hide();
    m_export->setEnabled(false);
    showMessage(tr("Open a run to see its class-pair grid."), false);
    updateRunChoice();
}

ClassPairGridView::~ClassPairGridView() = default;

void ClassPairGridView::setRuns(const AnalysisRuns &runs)
{
    m_runs = runs;
    m_current = runs.poisoned.isEmpty() ? runs.clean : runs.poisoned;
    updateRunChoice();
    load();
}

void ClassPairGridView::showCleanRun(bool clean)
{
    const QString run =
        clean && !m_runs.clean.isEmpty() ? m_runs.clean : (m_runs.poisoned.isEmpty() ? m_runs.clean : m_runs.poisoned);
    if (run == m_current)
        return;
    m_current = run;
    updateRunChoice();
    load();
}

void ClassPairGridView::updateRunChoice()
{
    m_run->clear();
    if (!m_runs.poisoned.isEmpty())
        m_run->addItem(tr("%1 (poisoned)").arg(QFileInfo(m_runs.poisoned).fileName()));
    if (!m_runs.clean.isEmpty() && !m_runs.poisoned.isEmpty())
        m_run->addItem(tr("%1 (clean)").arg(QFileInfo(m_runs.clean).fileName()));
    m_run->setCurrentIndex(m_current == m_runs.clean && !m_runs.poisoned.isEmpty() ? 1 : 0);
    m_run->setVisible(m_run->count() > 1);
    m_heading->setText(m_current.isEmpty() ? tr("Class-pair grid")
                                           : tr("Class-pair grid of %1").arg(QFileInfo(m_current).fileName()));
}

void ClassPairGridView::setMetric(GridMetric metric)
{
    m_metric->setCurrentIndex(m_metric->findData(int(metric)));
}

GridMetric ClassPairGridView::metric() const
{
    return m_heatmap->metric();
}

// Reads results/analysis/minrank_grid.json on the runner; an absent file is no error.
void ClassPairGridView::load()
{
    m_computing = false;
    m_heatmap->setGrid(nullptr);
    if (m_current.isEmpty()) {
        m_runner->cancel();
        showMessage(tr("Open a run to see its class-pair grid."), false);
        return;
    }
    showMessage(tr("Reading %1…").arg(gridFile(m_current)), false);
    const fs::path file = experiment::minRankGridPath(toPath(m_current));
    m_runner->start([file](ProgressReporter &) -> QVariant {
        if (!fs::exists(file))
            return QVariant::fromValue(GridPtr());
        return QVariant::fromValue(GridPtr(std::make_shared<analysis::MinRankGrid>(experiment::readMinRankGrid(file))));
    });
}

void ClassPairGridView::compute()
{
    if (m_current.isEmpty())
        return;
    m_computing = true;
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("starting"));
    m_message->setText(tr("Computing the class-pair grid of %1…").arg(QFileInfo(m_current).fileName()));
    const fs::path run = toPath(m_current);
    JobOptions options;
    options.contextFile = QString::fromStdString((run / "results" / "embeddings" / "final").string());
    m_runner->start(
        [run](ProgressReporter &progress) {
            return QVariant::fromValue(GridPtr(
                std::make_shared<analysis::MinRankGrid>(experiment::computeMinRankGridFile(run, "final", progress))));
        },
        options);
}

void ClassPairGridView::cancel()
{
    m_runner->cancel();
}

bool ClassPairGridView::isBusy() const
{
    return m_runner->isBusy();
}

void ClassPairGridView::showGrid(std::shared_ptr<const analysis::MinRankGrid> grid)
{
    const bool computed = m_computing;
    m_computing = false;
    if (!grid) {
        showMessage(tr("%1 has no class-pair grid yet (%2). Compute it from the run's evaluation record — "
                       "it takes a moment and is kept in the run.")
                        .arg(QFileInfo(m_current).fileName(), gridFile(m_current)),
                    true);
        return;
    }
    m_metric->setItemText(1, tr("Hit@%1").arg(grid->hitK));
    m_heatmap->setGrid(std::move(grid));
    m_stack->setCurrentWidget(m_heatmap);
    m_export->setEnabled(true);
    m_hover->setText(computed ? tr("Computed and saved to %1.").arg(gridFile(m_current)) : hoverLine());
    Q_EMIT gridShown();
}

void ClassPairGridView::showMessage(const QString &message, bool offerCompute)
{
    m_computing = false;
    m_message->setText(message);
    m_compute->setVisible(offerCompute);
    m_stack->setCurrentIndex(1);
    m_export->setEnabled(false);
    m_hover->clear();
    if (offerCompute)
        Q_EMIT gridUnavailable(message);
}

bool ClassPairGridView::isShowingGrid() const
{
    return m_stack->currentWidget() == m_heatmap && m_heatmap->grid();
}

QString ClassPairGridView::messageText() const
{
    return isShowingGrid() ? QString() : m_message->text();
}

QString ClassPairGridView::hoverLine() const
{
    const QString hover = m_heatmap->hoverText();
    return hover.isEmpty() ? tr("Hover a cell for its values; click it to design that attack.") : hover;
}

void ClassPairGridView::onCellClicked(int row, int column)
{
    const auto grid = m_heatmap->grid();
    if (!grid || row == column) // A -> A is no attack
        return;
    Q_EMIT designAttackRequested(QString::fromStdString(grid->classes[std::size_t(row)]),
                                 QString::fromStdString(grid->classes[std::size_t(column)]));
}

QString ClassPairGridView::exportTitle() const
{
    const bool hit = metric() == GridMetric::HitAtK;
    return tr("%1 of every class pair A → B — %2")
        .arg(hit ? m_metric->itemText(1) : tr("MinRank"), QFileInfo(m_current).fileName());
}

bool ClassPairGridView::exportTo(const QString &path, QSize size, QString *error) const
{
    if (!m_heatmap->grid()) {
        if (error)
            *error = tr("Cannot write %1: there is no grid to export").arg(path);
        return false;
    }
    const QString title = exportTitle();
    return m_heatmap->exportTo(path, size, title, error);
}

void ClassPairGridView::exportInteractively()
{
    ChartExportDialog::run(
        this, [this](const QString &path, QSize size, QString *error) { return exportTo(path, size, error); },
        QStringLiteral("class-pair-grid"));
}

} // namespace poisonlab::ui
