#pragma once

#include "analysis/AnalysisRuns.h"
#include "analysis/ClassPairHeatmap.h"

#include <QSize>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;

namespace poisonlab::ui {

class JobRunner;

/// The class-pair grid of a run (results/analysis/minrank_grid.json, what `poisonlab-cli
/// analyze` computes): MinRank or Hit@10 of every goal "A's captions retrieve B's images" as a
/// heatmap (ClassPairHeatmap), the metric switchable, hover telling a cell's values; a click on
/// a cell off the diagonal asks for the attack A → B (designAttackRequested). With a clean and a
/// poisoned run, either run's grid can be shown. A run without the file says so and offers
/// Compute: core computes just this grid from the run's evaluation record on a JobRunner (progress,
/// Cancel) and writes it atomically into results/analysis/ — a cancelled computation writes
/// nothing. The file is read on the runner too. Export… writes the grid as PNG, SVG or PDF.
class ClassPairGridView : public QWidget {
    Q_OBJECT
public:
    explicit ClassPairGridView(QWidget *parent = nullptr);
    ~ClassPairGridView() override;

    /// Shows the poisoned run's grid (the clean run's when only that one is given).
    void setRuns(const AnalysisRuns &runs);
    AnalysisRuns runs() const { return m_runs; }
    /// The run whose grid is shown (or asked for).
    QString currentRun() const { return m_current; }
    /// Switches between the poisoned and the clean run (when both are set).
    void showCleanRun(bool clean);

    void setMetric(GridMetric metric);
    GridMetric metric() const;
    /// Computes the grid of currentRun() in the background (replacing an existing file).
    void compute();
    void cancel();
    bool isBusy() const;

    bool isShowingGrid() const;
    /// What the view says instead of the grid (missing, an error naming the file, cancelled).
    QString messageText() const;
    ClassPairHeatmap *heatmap() const { return m_heatmap; }
    QPushButton *computeButton() const { return m_compute; }
    QString hoverLine() const;

    /// Writes the grid (light, with a title) at `size`; the format follows the suffix.
    bool exportTo(const QString &path, QSize size, QString *error = nullptr) const;
    void exportInteractively();

Q_SIGNALS:
    /// A cell was clicked: design the attack whose captions of `source` retrieve `target`.
    void designAttackRequested(const QString &source, const QString &target);
    /// A grid was read or computed and is shown.
    void gridShown();
    /// No grid to show: `message` says why (also messageText()).
    void gridUnavailable(const QString &message);

private:
    void load();
    void showGrid(std::shared_ptr<const analysis::MinRankGrid> grid);
    void showMessage(const QString &message, bool offerCompute);
    void updateRunChoice();
    void onCellClicked(int row, int column);
    QString exportTitle() const;

    AnalysisRuns m_runs;
    QString m_current;
    bool m_computing = false;
    JobRunner *m_runner;
    QLabel *m_heading;
    QComboBox *m_run;
    QComboBox *m_metric;
    QPushButton *m_export;
    QStackedWidget *m_stack;
    ClassPairHeatmap *m_heatmap;
    QLabel *m_message;
    QPushButton *m_compute;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_hover;
};

} // namespace poisonlab::ui
