#pragma once

#include "sweep/SweepClassPairs.h"
#include "sweep/SweepData.h"

#include <QSize>
#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QStackedWidget;

namespace poisonlab::ui {

class ClassPairHeatmap;

/// A class-pair sweep as the class-pair grid (the Results step's ClassPairHeatmap, reused): row A,
/// column B is the cell that attacked A → B, coloured by its MinRank or Hit@K; pairs not swept and
/// cells not finished stay empty. Hover tells a cell's run and state; a click on a swept pair asks
/// to open its run. Export… writes the grid as PNG, SVG or PDF. Other sweeps get a line saying
/// what sweeps this view is for.
class SweepClassPairView : public QWidget {
    Q_OBJECT
public:
    explicit SweepClassPairView(QWidget *parent = nullptr);

    void setSweep(SweepDataPtr sweep, int hitK);
    bool hasGrid() const;
    const SweepClassPairs &pairs() const { return m_pairs; }
    ClassPairHeatmap *heatmap() const { return m_heatmap; }
    QComboBox *metricBox() const { return m_metric; }
    QString messageText() const;
    QString hoverLine() const;

    bool exportTo(const QString &path, QSize size, QString *error = nullptr) const;
    void exportInteractively();

Q_SIGNALS:
    void openRunRequested(const QString &runDir);

private:
    void onCellClicked(int row, int column);

    SweepDataPtr m_sweep;
    SweepClassPairs m_pairs;
    QComboBox *m_metric;
    QPushButton *m_export;
    QStackedWidget *m_stack;
    ClassPairHeatmap *m_heatmap;
    QLabel *m_message;
    QLabel *m_hover;
};

} // namespace poisonlab::ui
