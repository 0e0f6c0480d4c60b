#include "sweep/SweepClassPairView.h"

#include "analysis/ClassPairHeatmap.h"
#include "charts/ChartExportDialog.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace poisonlab::ui {

SweepClassPairView::SweepClassPairView(QWidget *parent) : QWidget(parent)
{
    m_metric = new QComboBox(this);
    m_metric->addItem(tr("MinRank (mean)"), int(GridMetric::MinRank));
    m_metric->addItem(tr("Hit@10"), int(GridMetric::HitAtK));
    m_export = new QPushButton(tr("Export…"), this);
    m_export->setToolTip(tr("Save the grid as PNG, SVG or PDF (light, for slides)"));
    auto *explain = new QLabel(tr("Row A, column B: the sweep's cell that attacked A → B (Attack II), measured on its "
                                  "poisoned model: MinRank of the best B image for A's test captions (0 is best) or "
                                  "Hit@K. Empty cells: pairs not in the sweep, or cells not finished. Click a cell to "
                                  "open its run."),
                               this);
    explain->setWordWrap(true);
    auto *tools = new QHBoxLayout;
    tools->addWidget(explain, 1);
    tools->addWidget(new QLabel(tr("Show:"), this));
    tools->addWidget(m_metric);
    tools->addWidget(m_export);

    m_heatmap = new ClassPairHeatmap(this);
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_heatmap);
    m_stack->addWidget(m_message);
    m_hover = new QLabel(this);
    m_hover->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_hover);

    m_heatmap->setCellDescriber(
        [this](int row, int column) { return m_sweep ? m_pairs.describe(*m_sweep, row, column) : QString(); });
    connect(m_metric, &QComboBox::currentIndexChanged, this,
            [this] { m_heatmap->setMetric(GridMetric(m_metric->currentData().toInt())); });
    connect(m_export, &QPushButton::clicked, this, &SweepClassPairView::exportInteractively);
    connect(m_heatmap, &ClassPairHeatmap::cellClicked, this, &SweepClassPairView::onCellClicked);
    connect(m_heatmap, &ClassPairHeatmap::cellHovered, this, [this] { m_hover->setText(hoverLine()); });
    setSweep(nullptr, 10);
}

void SweepClassPairView::setSweep(SweepDataPtr sweep, int hitK)
{
    m_sweep = std::move(sweep);
    m_pairs = m_sweep ? SweepClassPairs::build(*m_sweep, hitK) : SweepClassPairs{};
    m_metric->setItemText(1, tr("Hit@%1").arg(hitK));
    m_heatmap->setGrid(m_pairs.grid);
    m_heatmap->update();
    m_export->setEnabled(hasGrid());
    if (hasGrid()) {
        m_stack->setCurrentWidget(m_heatmap);
        m_hover->setText(hoverLine());
        return;
    }
    m_message->setText(m_sweep ? tr("This sweep does not sweep the attack's classes. Sweep "
                                    "attack.options.source and attack.options.target (together, or as a "
                                    "grid) to see the attack of every class pair here.")
                               : tr("No sweep open"));
    m_stack->setCurrentWidget(m_message);
    m_hover->clear();
}

bool SweepClassPairView::hasGrid() const
{
    return m_pairs.grid != nullptr;
}

QString SweepClassPairView::messageText() const
{
    return hasGrid() ? QString() : m_message->text();
}

QString SweepClassPairView::hoverLine() const
{
    const QString hover = m_heatmap->hoverText();
    return hover.isEmpty() ? tr("Hover a cell for its run and values; click it to open the run.") : hover;
}

void SweepClassPairView::onCellClicked(int row, int column)
{
    const std::vector<int> cells = m_pairs.cellsAt(row, column);
    if (m_sweep && !cells.empty())
        Q_EMIT openRunRequested(m_sweep->runDir(cells.front()));
}

bool SweepClassPairView::exportTo(const QString &path, QSize size, QString *error) const
{
    if (!hasGrid()) {
        if (error)
            *error = tr("Cannot write %1: there is no grid to export").arg(path);
        return false;
    }
    const QString title = tr("%1 of each attacked class pair A → B — sweep %2")
                              .arg(m_metric->currentText(), QString::fromStdString(m_sweep->index.configName));
    return m_heatmap->exportTo(path, size, title, error);
}

void SweepClassPairView::exportInteractively()
{
    ChartExportDialog::run(
        this, [this](const QString &path, QSize size, QString *error) { return exportTo(path, size, error); },
        QStringLiteral("sweep-class-pairs"));
}

} // namespace poisonlab::ui
