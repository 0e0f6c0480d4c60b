#include "sweep/SweepPage.h"

#include "jobs/JobRunner.h"
#include "style/StatusColors.h"
#include "sweep/SweepCellModel.h"
#include "sweep/SweepChartsView.h"
#include "sweep/SweepClassPairView.h"
#include "sweep/SweepClassPairs.h"

#include <QDir>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace poisonlab::ui {

SweepPage::SweepPage(QWidget *parent) : QWidget(parent), m_runner(new JobRunner(QStringLiteral("sweep"), this))
{
    setObjectName(QStringLiteral("sweep"));
    m_title = new QLabel(tr("Sweep"), this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_summary = new QLabel(this);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_open = new QPushButton(tr("Open Sweep…"), this);
    m_open->setToolTip(tr("Open a folder made by poisonlab-cli sweep (it holds sweep.json)"));
    m_reload = new QPushButton(tr("Reload"), this);
    m_reload->setToolTip(tr("Read the cells' run directories again"));
    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_summary, 1);
    header->addWidget(m_open);
    header->addWidget(m_reload);

    m_charts = new SweepChartsView(this);
    m_pairs = new SweepClassPairView(this);
    m_views = new QTabWidget(this);
    m_views->addTab(m_charts, tr("Charts"));
    m_views->addTab(m_pairs, tr("Class pairs"));

    m_model = new SweepCellModel(this);
    auto *sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_model);
    sorted->setSortRole(Qt::UserRole);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("sweepCells"));
    m_table->setModel(sorted);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // the sweep's own order until a header is clicked
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8); // compact rows
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setToolTip(tr("Double-click a cell to open its run"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_views);
    split->addWidget(m_table);
    split->setStretchFactor(0, 3); // the table shows a sweep's usual dozen cells or so
    split->setStretchFactor(1, 2);
    split->setChildrenCollapsible(false);

    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stack = new QStackedWidget(this);
    m_stack->addWidget(split);
    m_stack->addWidget(m_message);
    // The charts, grid and table need their room; in a smaller window the page scrolls rather
    // than making the whole window taller (the Results step's other tabs are smaller).
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(m_stack);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(header);
    layout->addWidget(scroll, 1);

    m_refresh = new QTimer(this);
    m_refresh->setSingleShot(true);
    connect(m_refresh, &QTimer::timeout, this, [this] { read(true); });
    connect(m_open, &QPushButton::clicked, this, &SweepPage::openSweepRequested);
    connect(m_reload, &QPushButton::clicked, this, &SweepPage::reload);
    connect(m_table, &QTableView::doubleClicked, this, [this, sorted](const QModelIndex &index) {
        const int cell = m_model->cellAt(sorted->mapToSource(index).row());
        if (m_sweep && cell >= 0)
            Q_EMIT openRunRequested(m_sweep->runDir(cell));
    });
    connect(m_pairs, &SweepClassPairView::openRunRequested, this, &SweepPage::openRunRequested);
    connect(m_charts, &SweepChartsView::hitKChanged, this, [this](int k) {
        fillTable();
        m_pairs->setSweep(m_sweep, std::max(k, 1));
    });
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showSweep(result.value<SweepDataPtr>()); });
    connect(m_runner, &JobRunner::failed, this, [this](quint64, const QString &message, const QString &file) {
        const QString text = file.isEmpty() || message.contains(file) ? message : file + QStringLiteral(": ") + message;
        m_sweep.reset();
        m_charts->setSweep(nullptr);
        m_pairs->setSweep(nullptr, 10);
        m_model->setSweep(nullptr, 10, palette());
        showMessage(tr("Could not read the sweep in %1:\n%2").arg(QDir::toNativeSeparators(m_dir), text), true);
        Q_EMIT sweepFailed(messageText());
    });
    connect(m_runner, &JobRunner::busyChanged, this,
            [this](bool busy) { m_reload->setEnabled(!busy && !m_dir.isEmpty()); });
    m_reload->setEnabled(false);
    showMessage(tr("No sweep open — File › Open Sweep… chooses a folder made by poisonlab-cli sweep "
                   "(its sweep.json and a run directory per cell)."),
                false);
}

SweepPage::~SweepPage() = default;

void SweepPage::openSweep(const QString &dir)
{
    m_dir = QDir::cleanPath(QDir(dir).absolutePath());
    m_sweep.reset();
    read(false);
}

void SweepPage::reload()
{
    if (!m_dir.isEmpty())
        read(true);
}

// Reads sweep.json and every cell's run folder on the runner; `quiet` keeps the sweep shown
// until the new reading arrives (a refresh), else the page says what it reads.
void SweepPage::read(bool quiet)
{
    m_refresh->stop();
    if (!quiet || !m_sweep)
        showMessage(tr("Reading the sweep in %1…").arg(QDir::toNativeSeparators(m_dir)), false);
    JobOptions options;
    options.contextFile = QDir(m_dir).filePath(QString::fromLatin1(experiment::SweepIndex::kFileName));
    m_runner->start([dir = m_dir](ProgressReporter &) { return QVariant::fromValue(SweepData::read(dir)); }, options);
}

bool SweepPage::isBusy() const
{
    return m_runner->isBusy();
}

void SweepPage::showSweep(SweepDataPtr sweep)
{
    m_sweep = std::move(sweep);
    if (!m_sweep)
        return;
    const bool pairs = SweepClassPairs::isClassPairSweep(*m_sweep);
    const bool first = m_stack->currentWidget() == m_message;
    m_title->setText(tr("Sweep %1").arg(QString::fromStdString(m_sweep->index.configName)));
    m_summary->setText(tr("%1 — %2 cells: %3")
                           .arg(QDir::toNativeSeparators(m_sweep->dir))
                           .arg(m_sweep->cellCount())
                           .arg(m_sweep->stateSummary()));
    m_charts->setSweep(m_sweep);
    m_pairs->setSweep(m_sweep, std::max(m_charts->hitK(), 1));
    fillTable();
    m_views->setTabEnabled(1, pairs);
    m_views->setTabToolTip(1, pairs ? QString() : m_pairs->messageText());
    // A sweep over class pairs only is read as a grid; one with other keys as charts.
    if (first)
        showClassPairs(pairs && std::all_of(m_sweep->index.axes.begin(), m_sweep->index.axes.end(), [](const auto &a) {
                           return a.key.find("attack.options.source") != std::string::npos ||
                                  a.key.find("attack.options.target") != std::string::npos;
                       }));
    m_stack->setCurrentIndex(0);
    const bool running =
        std::any_of(m_sweep->cells.begin(), m_sweep->cells.end(), [](const auto &c) { return c.state == "running"; });
    if (running && m_refreshMs > 0)
        m_refresh->start(m_refreshMs);
    Q_EMIT sweepShown(m_sweep->dir);
}

void SweepPage::fillTable()
{
    m_model->setSweep(m_sweep, std::max(m_charts->hitK(), 1), palette());
}

void SweepPage::showClassPairs(bool show)
{
    m_views->setCurrentIndex(show && m_views->isTabEnabled(1) ? 1 : 0);
}

void SweepPage::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
    m_stack->setCurrentWidget(m_message);
    if (error || !m_sweep) {
        m_title->setText(tr("Sweep"));
        m_summary->setText(m_dir.isEmpty() ? QString() : QDir::toNativeSeparators(m_dir));
    }
}

QString SweepPage::messageText() const
{
    return m_stack->currentWidget() == m_message ? m_message->text() : QString();
}

void SweepPage::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_sweep)
        fillTable(); // the state colours follow the theme
}

} // namespace poisonlab::ui
