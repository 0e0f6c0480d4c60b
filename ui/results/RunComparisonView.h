#pragma once

#include <QStringList>
#include <QWidget>

#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace poisonlab::ui {

class JobRunner;
class LineChartWidget;
class RunComparisonModel;

/// Several runs compared ("Compare runs"): the list of runs (name, attack, rate, φ) with
/// Add run… and Remove, one sortable table with a row per run (RunComparisonModel) and one
/// Hit@K chart: x = K with a line per run (clean against attacked), or x = poison rate with a
/// line per K when the runs differ only in their rate; the chart says which, and the choice
/// can be overridden. Runs are read by core's report::RunResults on a job (JobRunner); one that
/// cannot be read shows its error in its row, the others stay.
class RunComparisonView : public QWidget {
    Q_OBJECT
public:
    enum class ChartAxis { Auto, K, Rate };

    explicit RunComparisonView(QWidget *parent = nullptr);
    ~RunComparisonView() override;

    void addRun(const QString &dir);
    void addRuns(const QStringList &dirs);
    void removeRun(int row);
    int runCount() const;

    RunComparisonModel *model() const { return m_model; }
    QTableView *tableView() const { return m_table; }
    LineChartWidget *chart() const { return m_chart; }
    /// True while runs are being read.
    bool isLoading() const;
    /// The chart's x axis: Auto picks Rate when the runs differ only in rate, else K.
    void setChartAxis(ChartAxis axis);
    ChartAxis effectiveChartAxis() const;
    void setChartGoal(const QString &goal);
    /// The text of the run list's rows.
    QStringList runListTexts() const;
    /// The runs that could not be read, one line each ("folder: message").
    QString errorsText() const;

Q_SIGNALS:
    void runsChanged();

private:
    QWidget *makeRunList();
    void makeTable();
    QWidget *makeChart();
    void chooseRuns();
    void startNextBatch();
    void refresh();
    void refreshChart();

    RunComparisonModel *m_model;
    JobRunner *m_loader;
    std::vector<std::pair<quint64, QString>> m_pending; ///< added while a batch is read
    std::vector<quint64> m_reading;                     ///< the batch being read
    QListWidget *m_list;
    QPushButton *m_remove;
    QLabel *m_errors;
    QTableView *m_table;
    QSortFilterProxyModel *m_sorted;
    QComboBox *m_axis;
    QComboBox *m_goal;
    LineChartWidget *m_chart;
};

} // namespace poisonlab::ui
