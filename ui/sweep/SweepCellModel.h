#pragma once

#include "sweep/SweepData.h"

#include <QPalette>
#include <QStandardItemModel>

namespace poisonlab::ui {

/// The sweep's cells as a table: name, state (coloured by StatusColors: failed red, cancelled
/// amber, running and pending dimmed), the value of each swept key, then the finished cells'
/// headline figures (Hit@K and MinRank of the cell's goal, R@10 caption → image, R_mean; "–" for
/// an unfinished cell, never 0). Numbers keep their exact value in Qt::UserRole (sorting, tests);
/// every row's first item holds its cell index in CellRole.
class SweepCellModel : public QStandardItemModel {
    Q_OBJECT
public:
    static constexpr int CellRole = Qt::UserRole + 1;
    enum Column { Name, State }; ///< then one per axis, then the figures

    explicit SweepCellModel(QObject *parent = nullptr);

    /// Fills the table (null: empty); `palette` chooses the state colours.
    void setSweep(SweepDataPtr sweep, int hitK, const QPalette &palette);
    SweepDataPtr sweep() const { return m_sweep; }
    /// The first figure column (after the axes).
    int figureColumn() const;
    /// The sweep cell of a row, -1 when none.
    int cellAt(int row) const;

private:
    SweepDataPtr m_sweep;
};

} // namespace poisonlab::ui
