#include "jobs/JobRunner.h"

#include "jobs/HandOff.h"
#include "jobs/JobProgress.h"
#include "jobs/JobWorker.h"

#include <QThread>

namespace poisonlab::ui {

JobRunner::JobRunner(const QString &name, QObject *parent) : QObject(parent)
{
    qRegisterMetaType<ProgressEvent>();
    m_thread = new QThread(this);
    m_thread->setObjectName(name);
    m_worker = new JobWorker;
    m_worker->moveToThread(m_thread);

    // Queued from the job's thread (posted with HandOff, received by HandOffApplication before
    // delivery); anything of a job that is no longer current is dropped.
    connect(m_worker, &JobWorker::progress, this, [this](quint64 job, const ProgressEvent &event) {
        if (isCurrent(job))
            Q_EMIT progress(job, event);
    });
    connect(m_worker, &JobWorker::finished, this, [this](quint64 job, const QVariant &result, double seconds) {
        if (!isCurrent(job))
            return;
        end();
        Q_EMIT finished(job, result, seconds);
    });
    connect(m_worker, &JobWorker::failed, this, [this](quint64 job, const QString &message, const QString &file) {
        if (!isCurrent(job))
            return;
        end();
        Q_EMIT failed(job, message, file);
    });
    connect(m_worker, &JobWorker::cancelled, this, [this](quint64 job, const QVariant &detail) {
        if (!isCurrent(job))
            return;
        end();
        Q_EMIT cancelled(job, detail);
    });
    // The job thread's end as a hand-off, so what it allocated is seen to happen before the
    // destructor frees it (QThread::wait synchronises through a futex TSan cannot see).
    connect(
        m_thread, &QThread::finished, m_worker, [] { HandOff::post([] {}); }, Qt::DirectConnection);
    m_thread->start();
}

JobRunner::~JobRunner()
{
    cancel();
    m_thread->quit(); // takes effect once the running job returns (core checks cancellation often)
    m_thread->wait();
    HandOff::received(); // after the thread's last post (its QThread::finished, see the constructor)
    delete m_worker;     // its thread has finished: safe to delete from here
}

quint64 JobRunner::start(Work work, JobOptions options)
{
    if (m_progress)
        m_progress->cancel(); // superseded: it stops soon and its signals are dropped
    const quint64 job = ++m_job;
    JobWorker *worker = m_worker; // outlives every job: the destructor joins the thread first
    m_progress = std::make_shared<JobProgress>(
        ProgressThrottle(m_throttleMs, options.deliverEvery),
        [worker, job](const ProgressEvent &event) { HandOff::post([&] { Q_EMIT worker->progress(job, event); }); });
    if (!m_busy) {
        m_busy = true;
        Q_EMIT busyChanged(true);
    }
    HandOff::post([&] {
        QMetaObject::invokeMethod(
            worker,
            [worker, job, work = std::move(work), options = std::move(options), progress = m_progress] {
                worker->run(job, work, options, progress);
            },
            Qt::QueuedConnection);
    });
    return job;
}

void JobRunner::cancel()
{
    if (m_progress)
        m_progress->cancel();
}

void JobRunner::end()
{
    m_progress.reset();
    m_busy = false;
    Q_EMIT busyChanged(false);
}

} // namespace poisonlab::ui
