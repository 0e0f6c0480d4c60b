#pragma once

#include <nlohmann/json.hpp>

#include <QWidget>

class QLabel;
class QStandardItemModel;
class QTableView;

namespace poisonlab::ui {

class LineChartWidget;

/// The run viewer's Defenses tab: the pre-training filter's detection counts, P/R/F1/AUC and ROC
/// curve (results/defense/prefilter.json), and the post-training defense's Hit@10 against epochs
/// and utility (R_mean) against epochs per learning rate (posttrain.json; the paper's Figure 7),
/// with the table of every epoch (its Table 8). A file that is absent reads "not in this run"; one that
/// could not be read shows the reader's message, which names the file.
class DefenseResultsView : public QWidget {
    Q_OBJECT
public:
    explicit DefenseResultsView(QWidget *parent = nullptr);

    /// `prefilter`/`posttrain`: the parsed files, or null. `*Problem`: why a present file could
    /// not be used (empty when it is simply absent).
    void show(const nlohmann::json &prefilter, const QString &prefilterProblem, const nlohmann::json &posttrain,
              const QString &posttrainProblem);
    void clear();

    QStandardItemModel *detectionModel() const { return m_detection; }
    QStandardItemModel *postTrainingModel() const { return m_postTraining; }
    LineChartWidget *rocChart() const { return m_roc; }
    LineChartWidget *postTrainingChart() const { return m_hits; }
    LineChartWidget *postTrainingUtilityChart() const { return m_utility; }
    QString prefilterNote() const;
    QString posttrainNote() const;

private:
    QStandardItemModel *m_detection = nullptr;
    QStandardItemModel *m_postTraining = nullptr;
    QTableView *m_detectionView;
    QTableView *m_postTrainingView;
    QLabel *m_prefilterNote;
    QLabel *m_posttrainNote;
    LineChartWidget *m_roc;
    LineChartWidget *m_hits;
    LineChartWidget *m_utility;
};

} // namespace poisonlab::ui
