#pragma once

#include "poisonlab/core/Progress.h"
#include "experiment/TrainingStep.h"

#include <QMap>
#include <QObject>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace poisonlab::ui {

/// Set by ExperimentController (GUI thread), read by the job's ProgressReporter::wasCancelled().
using CancelFlag = std::shared_ptr<std::atomic<bool>>;

/// Lives on ExperimentController's thread and runs one experiment at a time through core's
/// ExperimentRunner. Everything it emits is a value (strings, numbers, TrainingStep), so queued
/// delivery to the GUI thread never shares state with the running job.
class ExperimentWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

public Q_SLOTS:
    /// Runs the experiment config at `configPath` (with `${name}` variables) into `outDir`.
    void start(quint64 job, const QString &configPath, const QMap<QString, QString> &vars, const QString &outDir,
               bool force, poisonlab::ui::CancelFlag cancel);
    /// Continues the cancelled or interrupted run in `runDir`.
    void resume(quint64 job, const QString &runDir, poisonlab::ui::CancelFlag cancel);

Q_SIGNALS:
    void step(quint64 job, poisonlab::ui::TrainingStep step);
    void epochFinished(quint64 job, int epoch, double meanLoss);
    /// What the run is doing now ("loading the model", "evaluating…"); done/total when known.
    void phase(quint64 job, const QString &text, qint64 done, qint64 total);
    void finished(quint64 job, const QString &runDir);
    /// `file`: the file the problem is about (may be empty); `runDir` may not exist yet.
    void failed(quint64 job, const QString &message, const QString &file, const QString &runDir);
    /// `resumable`: the run directory exists with status "cancelled".
    void cancelled(quint64 job, const QString &runDir, bool resumable);

private:
    void execute(quint64 job, const QString &runDir, const CancelFlag &cancel,
                 const std::function<QString(ProgressReporter &)> &work);
    void forward(quint64 job, const ProgressEvent &event);

    QString m_lastPhase;
    qint64 m_lastPhaseMs = -1;
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::CancelFlag)
