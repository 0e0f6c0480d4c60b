#pragma once

#include "analysis/AnalysisRuns.h"

#include <nlohmann/json.hpp>

#include <QList>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace poisonlab::ui {

class DefenseResultsView;
class JobRunner;

/// Post-training clean fine-tuning (`poisonlab-cli defend`) of a finished poisoned run from the
/// workbench: the defense's options as a form (clean dataset and split, epochs, learning rates,
/// batch size), Start/Cancel on a JobRunner with live progress, then Hit@10 and utility per
/// epoch per learning rate (the paper's Figure 7), the table of every epoch (Table 8) and the
/// pre-training filter's ROC when the run has one, in a DefenseResultsView. Core's defendRun()
/// does the work and writes the run's results/defense/posttrain.json (atomically: a cancelled
/// defense leaves the previous file, if any).
class DefensePanel : public QWidget {
    Q_OBJECT
public:
    explicit DefensePanel(QWidget *parent = nullptr);

    /// The poisoned run is the one defended; its existing defense results are shown.
    void setRuns(const AnalysisRuns &runs);
    AnalysisRuns runs() const { return m_runs; }

    /// The defense config the form describes ({"defenses": [{"plugin", "options"}]}), or null
    /// with the problem beside the field that holds it.
    nlohmann::json defenseConfig();
    /// Learning rates as typed ("1e-3, 1e-4"); empty with `error` set when one is not a positive number.
    static QList<double> parseLearningRates(const QString &text, QString *error = nullptr);

    void setEpochs(int epochs);
    void setLearningRates(const QString &text);
    /// Starts the defense on the poisoned run; false (the reason shown) when it cannot start.
    bool start();
    void cancel();
    bool isBusy() const;
    QString statusText() const;

    DefenseResultsView *results() const { return m_results; }
    JobRunner *runner() const { return m_runner; }

Q_SIGNALS:
    /// The defense finished and its results are shown.
    void defenseFinished(const QString &runDir);

private:
    QWidget *makeForm();
    void loadRunResults(const nlohmann::json &posttrain);
    void setStatus(const QString &text, bool error = false);
    void updateBusy(bool busy);

    AnalysisRuns m_runs;
    JobRunner *m_runner;
    QComboBox *m_dataset;
    QComboBox *m_split;
    QSpinBox *m_epochs;
    QLineEdit *m_rates;
    QLabel *m_ratesError;
    QSpinBox *m_batch;
    QPushButton *m_start;
    QPushButton *m_cancel;
    QProgressBar *m_progress;
    QLabel *m_status;
    DefenseResultsView *m_results;
};

} // namespace poisonlab::ui
