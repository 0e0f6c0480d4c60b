#include "browser/PairBrowser.h"

#include "browser/PairFilterBar.h"
#include "browser/PairFilterProxyModel.h"
#include "browser/PairGridDelegate.h"
#include "browser/PairTableModel.h"
#include "browser/ThumbnailCache.h"

#include <QAction>
#include <QActionGroup>
#include <QHeaderView>
#include <QListView>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace poisonlab::ui {

PairBrowser::PairBrowser(ThumbnailCache *thumbnails, QWidget *parent) : QWidget(parent)
{
    m_model = new PairTableModel(this);
    m_model->setThumbnailCache(thumbnails);
    createViewActions();
    m_proxy = new PairFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    // The grid shows each image once by default; the table lists every pair.
    m_proxy->setOnePerImage(true);

    m_filterBar = new PairFilterBar(m_proxy, this);

    m_grid = new QListView(this);
    m_grid->setObjectName(QStringLiteral("pairGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setMovement(QListView::Static);
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setUniformItemSizes(true);
    m_grid->setLayoutMode(QListView::Batched); // lays out 100k+ items without freezing
    m_grid->setBatchSize(2000);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_grid->setSpacing(4);
    m_gridDelegate = new PairGridDelegate(m_grid);
    m_gridDelegate->setThumbnailSize(m_model->thumbnailSize());
    m_grid->setItemDelegate(m_gridDelegate);
    m_grid->setGridSize(m_gridDelegate->cellSize() + QSize(6, 6));
    m_grid->setModel(m_proxy);
    m_grid->verticalScrollBar()->setSingleStep(m_gridDelegate->cellSize().height() / 3);

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("pairTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionModel(m_grid->selectionModel()); // one selection for both views
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setIconSize(QSize(48, 48));
    // Fixed row heights: the table never measures 600k rows.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(54);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(PairTableModel::CaptionColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(PairTableModel::ImageColumn, 260);
    m_table->setColumnWidth(PairTableModel::ClassColumn, 160);
    m_table->setColumnWidth(PairTableModel::SplitColumn, 70);
    m_table->setColumnWidth(PairTableModel::PoisonedColumn, 80);
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder); // dataset order until asked
    m_table->setSortingEnabled(true);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(m_grid);
    m_stack->addWidget(m_table);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_filterBar);
    layout->addWidget(m_stack, 1);

    connect(m_grid->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex &current) {
        Q_EMIT currentCaptionChanged(current.isValid() ? m_proxy->mapToSource(current).row() : -1);
    });
}

void PairBrowser::setDataset(DatasetPtr dataset)
{
    m_model->setDataset(std::move(dataset));
    m_filterBar->setDataset(m_model->dataset());
    Q_EMIT currentCaptionChanged(-1);
}

void PairBrowser::createViewActions()
{
    auto *group = new QActionGroup(this);
    auto *grid = new QAction(tr("Thumbnail &Grid"), group);
    grid->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_1));
    auto *table = new QAction(tr("&Table"), group);
    table->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_2));
    m_viewActions = {grid, table};
    for (QAction *action : m_viewActions)
        action->setCheckable(true);
    grid->setChecked(true);
    connect(grid, &QAction::triggered, this, [this] { setViewMode(ViewMode::Grid); });
    connect(table, &QAction::triggered, this, [this] { setViewMode(ViewMode::Table); });
    connect(this, &PairBrowser::viewModeChanged, this,
            [grid, table](ViewMode mode) { (mode == ViewMode::Grid ? grid : table)->setChecked(true); });
}

void PairBrowser::setViewMode(ViewMode mode)
{
    if (mode == m_mode)
        return;
    m_mode = mode;
    // The grid groups captions by image, the table lists them all; the user may change either.
    m_filterBar->onePerImageBox()->setChecked(mode == ViewMode::Grid);
    m_stack->setCurrentWidget(mode == ViewMode::Grid ? static_cast<QWidget *>(m_grid) : m_table);
    const QModelIndex current = m_grid->selectionModel()->currentIndex();
    if (current.isValid()) {
        if (mode == ViewMode::Grid)
            m_grid->scrollTo(current);
        else
            m_table->scrollTo(current);
    }
    Q_EMIT viewModeChanged(mode);
}

int PairBrowser::currentCaption() const
{
    const QModelIndex current = m_grid->selectionModel()->currentIndex();
    return current.isValid() ? m_proxy->mapToSource(current).row() : -1;
}

bool PairBrowser::selectCaption(int caption)
{
    const QModelIndex source = m_model->index(caption, 0);
    const QModelIndex shown = m_proxy->mapFromSource(source);
    if (!shown.isValid())
        return false;
    m_grid->selectionModel()->setCurrentIndex(shown, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (m_mode == ViewMode::Grid)
        m_grid->scrollTo(shown);
    else
        m_table->scrollTo(shown);
    return true;
}

} // namespace poisonlab::ui
