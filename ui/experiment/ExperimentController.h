#pragma once

#include "experiment/TrainingStep.h"
#include "poisonlab/core/Progress.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QVariantMap>

#include <nlohmann/json.hpp>

#include <functional>

namespace poisonlab::experiment {
struct ExperimentConfig;
}

namespace poisonlab::ui {

class JobRunner;

/// Runs experiments (core's ExperimentRunner) in the background, one at a time, through its
/// JobRunner. Core's progress comes back as values: every training step (TrainingStep, for the
/// loss chart), each epoch's mean loss, and the current phase's text (throttled). Cancel stops
/// the trainer after the current step, which checkpoints, so a cancelled run can be resumed.
/// The runner's destructor cancels the running job and waits for it.
class ExperimentController : public QObject {
    Q_OBJECT
public:
    explicit ExperimentController(QObject *parent = nullptr);
    ~ExperimentController() override;

    /// Starts `configPath` (variables such as data/model fill `${data}`, `${model}`) into
    /// `outDir`; `force` replaces a run already there. False (nothing started) while busy.
    bool start(const QString &configPath, const QMap<QString, QString> &vars, const QString &outDir,
               bool force = false);
    /// Starts the experiment held in `doc` (a config document, `${variables}` unexpanded, as
    /// ExperimentDraft holds it); `anchorFile` names it in messages and anchors relative paths.
    bool start(const nlohmann::json &doc, const QString &anchorFile, const QMap<QString, QString> &vars,
               const QString &outDir, bool force = false);
    /// Continues the run in `runDir`. False while busy.
    bool resume(const QString &runDir);
    /// Asks the running job to stop (it ends with cancelled()).
    void cancel();
    bool isBusy() const;
    /// The run directory of the running (or last) job, absolute.
    QString runDir() const { return m_runDir; }

Q_SIGNALS:
    void started(const QString &runDir, bool resuming);
    void stepReported(poisonlab::ui::TrainingStep step);
    void epochFinished(int epoch, double meanLoss);
    /// One epoch's evaluation (evaluation.every_epoch): `goals` the goals' names, `values` core's
    /// figures ("goal0.hit@10", "utility.text.r@1", "r_mean"...; docs/run-directory.md).
    void epochEvaluated(int epoch, const QStringList &goals, const QVariantMap &values);
    void phaseChanged(const QString &text, qint64 done, qint64 total);
    void finished(const QString &runDir);
    void failed(const QString &message, const QString &file, const QString &runDir);
    void cancelled(const QString &runDir, bool resumable);
    void busyChanged(bool busy);

private:
    void showProgress(const ProgressEvent &event);
    using Load = std::function<experiment::ExperimentConfig()>;
    void startRun(Load load, const QString &outDir, bool force);

    JobRunner *m_runner;
    QString m_runDir;
};

} // namespace poisonlab::ui
