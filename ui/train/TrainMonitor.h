#pragma once

#include "experiment/TrainingStep.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QVariantMap>
#include <QWidget>

class QLabel;
class QProgressBar;
class QTabWidget;

namespace poisonlab::ui {

class ExperimentController;
class LiveLossChart;
class LiveSeriesChart;
class LogPane;

/// What a training run shows while it runs: which run of a pair is going ("Run 1 of 2:
/// poisoned"), the phase, a progress bar with ETA over training and each evaluation, the step's
/// figures, the panel's message, and tabs with the live charts (loss, learning rate, samples/s,
/// per-epoch Hit@K of each goal and retrieval R@K) and core's log. Fed by an ExperimentController.
class TrainMonitor : public QWidget {
    Q_OBJECT
public:
    TrainMonitor(ExperimentController *controller, QWidget *parent = nullptr);

    /// Before a run starts: its label and the prefix of its per-epoch lines ("poisoned: ", or
    /// empty for a single run). The loss, rate and speed charts start over with each run; the
    /// per-epoch charts keep both runs of a pair, side by side.
    void beginRun(const QString &label, const QString &seriesPrefix);
    /// A new start (not the pair's second run): every chart starts over.
    void clearAll();
    /// Whether per-epoch evaluation is on (the Hit@K/R@K tabs say how to turn it on otherwise).
    void setEveryEpoch(bool on);
    void showMessage(const QString &text, bool error);
    void setPhase(const QString &text);
    /// The bar stops (finished: full; otherwise it keeps where it was).
    void stop(bool finished);

    QString runLabel() const;
    QString phaseText() const;
    QString message() const;
    bool messageIsError() const { return m_error; }
    QProgressBar *progressBar() const { return m_bar; }
    QTabWidget *tabs() const { return m_tabs; }
    LiveLossChart *lossChart() const { return m_loss; }
    LiveSeriesChart *learningRateChart() const { return m_lr; }
    LiveSeriesChart *throughputChart() const { return m_speed; }
    LiveSeriesChart *attackChart() const { return m_attack; }
    LiveSeriesChart *utilityChart() const { return m_utility; }
    LogPane *logPane() const { return m_log; }

private:
    void showStep(const TrainingStep &step);
    void showPhase(const QString &text, qint64 done, qint64 total);
    void showEpochEvaluation(int epoch, const QStringList &goals, const QVariantMap &values);

    QLabel *m_run;
    QLabel *m_phase;
    QProgressBar *m_bar;
    QLabel *m_stats;
    QLabel *m_message;
    QTabWidget *m_tabs;
    LiveLossChart *m_loss;
    LiveSeriesChart *m_lr;
    LiveSeriesChart *m_speed;
    LiveSeriesChart *m_attack;
    LiveSeriesChart *m_utility;
    LogPane *m_log;
    QString m_prefix;
    qint64 m_lastStep = 0;
    bool m_error = false;
    QString m_counting;         ///< the phase whose done/total the bar shows
    QElapsedTimer m_phaseClock; ///< since that phase's first unit, for its ETA
};

} // namespace poisonlab::ui
