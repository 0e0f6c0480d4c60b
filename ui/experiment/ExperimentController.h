#pragma once

#include "experiment/TrainingStep.h"

#include <QMap>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace poisonlab::ui {

class ExperimentWorker;

/// Runs experiments (core's ExperimentRunner) in the background, one at a time. Owns an
/// ExperimentWorker living on its own QThread: commands go in as queued calls, progress and
/// outcomes come back as queued signals carrying values only. Cancellation is a per-job
/// std::atomic<bool> that the job's ProgressReporter::wasCancelled() reads; the trainer stops
/// after the current step and checkpoints, so a cancelled run can be resumed.
/// The destructor cancels the running job, quits the thread and waits for it.
class ExperimentController : public QObject {
    Q_OBJECT
public:
    explicit ExperimentController(QObject *parent = nullptr);
    ~ExperimentController() override;

    /// Starts `configPath` (variables such as data/model fill `${data}`, `${model}`) into
    /// `outDir`; `force` replaces a run already there. False (nothing started) while busy.
    bool start(const QString &configPath, const QMap<QString, QString> &vars, const QString &outDir,
               bool force = false);
    /// Continues the run in `runDir`. False while busy.
    bool resume(const QString &runDir);
    /// Asks the running job to stop (it ends with cancelled()).
    void cancel();
    bool isBusy() const { return m_busy; }
    /// The run directory of the running (or last) job, absolute.
    QString runDir() const { return m_runDir; }

Q_SIGNALS:
    void started(const QString &runDir, bool resuming);
    void stepReported(poisonlab::ui::TrainingStep step);
    void epochFinished(int epoch, double meanLoss);
    void phaseChanged(const QString &text, qint64 done, qint64 total);
    void finished(const QString &runDir);
    void failed(const QString &message, const QString &file, const QString &runDir);
    void cancelled(const QString &runDir, bool resumable);
    void busyChanged(bool busy);

private:
    bool begin(const QString &runDir, bool resuming);
    void end();

    QThread *m_thread = nullptr;
    ExperimentWorker *m_worker = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel; ///< the running job's flag; shared with its reporter
    quint64 m_job = 0;
    bool m_busy = false;
    QString m_runDir;
};

} // namespace poisonlab::ui
