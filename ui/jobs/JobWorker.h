#pragma once

#include "jobs/JobRunner.h"

#include <QObject>

namespace poisonlab::ui {

/// Lives on JobRunner's thread and runs its jobs one after another; every outcome leaves as a
/// queued signal tagged with the job id, which the runner filters on the GUI thread.
class JobWorker : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;

    /// Runs one job and emits exactly one of finished / failed / cancelled for it.
    void run(quint64 job, const JobRunner::Work &work, const JobOptions &options,
             const std::shared_ptr<JobProgress> &progress);

Q_SIGNALS:
    void progress(quint64 job, const poisonlab::ProgressEvent &event);
    void finished(quint64 job, const QVariant &result, double seconds);
    void failed(quint64 job, const QString &message, const QString &file);
    void cancelled(quint64 job, const QVariant &detail);

private:
    static QVariant cancelDetail(const JobOptions &options);
};

} // namespace poisonlab::ui
