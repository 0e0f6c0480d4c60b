#pragma once

#include "poisonlab/core/data/DatasetSource.h"
#include "results/RunResultsPtr.h"

#include <QWidget>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QStandardItemModel;
class QTabWidget;
class QTableView;

namespace poisonlab::ui {

class DefenseResultsView;
class JobRunner;
class LineChartWidget;

/// Shows one run directory (File › Open Run…, and each run the Experiment panel finishes):
/// utility (R@1/5/10 both directions), attack (Hit@1/5/10 and MinRank, ours against the
/// random-caption baseline, per goal), each epoch's loss and evaluation (table and chart), the
/// poisoning (attack, rate, φ, per goal counts), the loss curve, and the defenses. The files are read by
/// core's report::RunResults, the same reader as `poisonlab-cli report`.
class RunViewer : public QWidget {
    Q_OBJECT
public:
    explicit RunViewer(QWidget *parent = nullptr);
    ~RunViewer() override;

    /// Reads `dir`; false (and the reason in errorText(), naming the file) when it is not a
    /// readable run. Optional files that are absent read "not in this run".
    bool openRun(const QString &dir);
    /// Reads `dir` on a job thread (JobRunner), then shows it and emits runOpened(), or shows
    /// the error and emits runFailed(). A later call supersedes one still reading.
    void openRunInBackground(const QString &dir);
    bool isLoading() const;
    void clear();

    RunResultsPtr results() const { return m_results; }
    QString errorText() const { return m_error; }
    QString headerText() const;
    /// Problems with the run's files (malformed JSON, files from other runs), one per line.
    QString problemsText() const;
    QString poisonNote() const;

    QStandardItemModel *utilityModel() const { return m_utility; }
    QStandardItemModel *attackModel() const { return m_attacks; }
    LineChartWidget *lossChart() const { return m_loss; }
    DefenseResultsView *defenseView() const { return m_defense; }
    QTabWidget *tabs() const { return m_tabs; }
    /// The Per epoch tab: a row per epoch, and R@K / Hit@K against the epoch for the chosen K.
    QStandardItemModel *perEpochModel() const { return m_perEpoch; }
    LineChartWidget *perEpochChart() const { return m_epochChart; }
    void setEpochChartK(int k);
    /// The Poisoning tab: the summary line and a row per goal of the manifest.
    QStandardItemModel *poisonGoalsModel() const { return m_poisonGoals; }
    QString poisonSummaryText() const;

    /// Offers to open the run's training dataset (a button above the tables); hidden when empty.
    void offerDataset(std::optional<data::DatasetSource> source, const QString &text = {});
    const std::optional<data::DatasetSource> &offeredDataset() const { return m_offered; }

Q_SIGNALS:
    void runOpened(const QString &dir);
    /// The user accepted offerDataset()'s offer.
    void openDatasetRequested();
    void openRunRequested();
    void runFailed(const QString &dir, const QString &message);

private:
    QString problemAbout(const char *fileName) const;
    QWidget *makeSummaryTab();
    void showRun(RunResultsPtr run);
    void showError(const QString &dir, const QString &message);
    void showEpochs();
    QWidget *makeEpochTab();
    QWidget *makePoisonTab();

    RunResultsPtr m_results;
    QString m_error;
    QLabel *m_header;
    QLabel *m_problems;
    QLabel *m_poison;
    QWidget *m_offer;
    QLabel *m_offerText;
    QTabWidget *m_tabs;
    QTableView *m_utilityView;
    QTableView *m_attackView;
    QStandardItemModel *m_utility = nullptr;
    QStandardItemModel *m_attacks = nullptr;
    QTableView *m_perEpochView;
    QStandardItemModel *m_perEpoch = nullptr;
    LineChartWidget *m_epochChart;
    QComboBox *m_epochK;
    QLabel *m_poisonSummary;
    QTableView *m_poisonGoalsView;
    QStandardItemModel *m_poisonGoals = nullptr;
    JobRunner *m_loader;
    QString m_loadingDir;
    LineChartWidget *m_loss;
    DefenseResultsView *m_defense;
    std::optional<data::DatasetSource> m_offered;
};

} // namespace poisonlab::ui
