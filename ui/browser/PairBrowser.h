#pragma once

#include "dataset/DatasetPtr.h"

#include <QWidget>

class QAction;
class QListView;
class QStackedWidget;
class QTableView;

namespace poisonlab::ui {

class PairFilterBar;
class PairFilterProxyModel;
class PairGridDelegate;
class PairTableModel;
class ThumbnailCache;

/// The pair browser: filter bar over a thumbnail grid and a table that share one filtered
/// model and one selection, so switching views keeps the selected pair.
class PairBrowser : public QWidget {
    Q_OBJECT
public:
    enum class ViewMode { Grid, Table };

    explicit PairBrowser(ThumbnailCache *thumbnails, QWidget *parent = nullptr);

    void setDataset(DatasetPtr dataset);
    void setViewMode(ViewMode mode);
    ViewMode viewMode() const { return m_mode; }

    /// The caption (source row) currently selected, or -1.
    int currentCaption() const;
    /// Selects a caption (source row) if the filters show it; returns whether it did.
    bool selectCaption(int caption);

    PairTableModel *model() const { return m_model; }
    PairFilterProxyModel *proxy() const { return m_proxy; }
    PairFilterBar *filterBar() const { return m_filterBar; }
    QListView *gridView() const { return m_grid; }
    /// View › Thumbnail Grid (Ctrl+1) and View › Table (Ctrl+2), checked as the mode changes.
    QList<QAction *> viewModeActions() const { return m_viewActions; }
    QTableView *tableView() const { return m_table; }

Q_SIGNALS:
    void currentCaptionChanged(int caption);
    void viewModeChanged(poisonlab::ui::PairBrowser::ViewMode mode);

private:
    void createViewActions();
    PairTableModel *m_model;
    PairFilterProxyModel *m_proxy;
    PairFilterBar *m_filterBar;
    PairGridDelegate *m_gridDelegate;
    QStackedWidget *m_stack;
    QListView *m_grid;
    QList<QAction *> m_viewActions;
    QTableView *m_table;
    ViewMode m_mode = ViewMode::Grid;
};

} // namespace poisonlab::ui
