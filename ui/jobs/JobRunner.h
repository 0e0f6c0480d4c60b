#pragma once

#include "poisonlab/core/Progress.h"

#include <QMetaType>
#include <QObject>
#include <QString>
#include <QVariant>

#include <functional>
#include <memory>

class QThread;

namespace poisonlab::ui {

class JobProgress;
class JobWorker;

/// How one job wants to be run (all optional).
struct JobOptions {
    /// Events delivered every time, unthrottled (e.g. training steps that a chart plots).
    std::function<bool(const ProgressEvent &)> deliverEvery;
    /// Named by failed() when the job throws an exception that names no file of its own.
    QString contextFile;
    /// Runs on the job's thread after the job was cancelled; its value goes with cancelled()
    /// (e.g. whether the run left behind can be resumed — a file read kept off the GUI thread).
    std::function<QVariant()> onCancelled;
};

/// Runs every piece of core work of one owner (opening a dataset, an experiment, a query, a
/// projection, an analysis) on the runner's own QThread, one job at a time.
///
/// - start() hands the work a ProgressReporter; a job still running is cancelled and its
///   signals dropped: only the latest job's progress and end ever come out (job ids).
/// - Progress is throttled on the job's thread (ProgressThrottle), so the GUI never floods.
/// - The job ends in exactly one of finished(), failed() (core's Error → its message and file;
///   any other exception → its message) or cancelled() (core threw CancelledError).
/// - The destructor cancels the running job, quits the thread and waits for it; core stops
///   within one unit of work, so this never blocks for long.
/// Everything crossing threads is a value (QVariant, ProgressEvent, strings) or a shared_ptr.
class JobRunner : public QObject {
    Q_OBJECT
public:
    /// The job: runs on the runner's thread; reports through `progress`, returns its result.
    using Work = std::function<QVariant(ProgressReporter &progress)>;

    /// `name` names the thread (seen in debuggers and crash reports).
    explicit JobRunner(const QString &name, QObject *parent = nullptr);
    ~JobRunner() override;

    /// Starts `work` and returns its job id; a job already running is superseded.
    quint64 start(Work work, JobOptions options = {});
    /// Asks the running job to stop; it ends with cancelled() (or finished(), if it was done).
    void cancel();
    bool isBusy() const { return m_busy; }
    /// The id of the latest job (0 before the first).
    quint64 currentJob() const { return m_job; }
    /// At most one throttled progress event per `ms` (default 50); applies to later jobs.
    void setThrottleInterval(int ms) { m_throttleMs = ms; }

Q_SIGNALS:
    void progress(quint64 job, const poisonlab::ProgressEvent &event);
    void finished(quint64 job, const QVariant &result, double seconds);
    /// `file`: the file the problem is about (may be empty).
    void failed(quint64 job, const QString &message, const QString &file);
    /// `detail`: what JobOptions::onCancelled returned (invalid when it was not set).
    void cancelled(quint64 job, const QVariant &detail);
    void busyChanged(bool busy);

private:
    bool isCurrent(quint64 job) const { return job == m_job && m_busy; }
    void end();

    QThread *m_thread = nullptr;
    JobWorker *m_worker = nullptr;
    std::shared_ptr<JobProgress> m_progress; ///< the running job's; shared with its thread
    quint64 m_job = 0;
    bool m_busy = false;
    int m_throttleMs = 50;
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ProgressEvent)
