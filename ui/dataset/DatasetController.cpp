#include "dataset/DatasetController.h"

#include "dataset/DatasetOpenWorker.h"

#include <QThread>

namespace poisonlab::ui {

DatasetController::DatasetController(QObject *parent, Loader loader) : QObject(parent)
{
    qRegisterMetaType<DatasetPtr>();
    if (!loader)
        loader = [](const data::DatasetSource &source, ProgressReporter &progress) {
            return data::openDataset(source, progress);
        };
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("DatasetOpen"));
    m_worker = new DatasetOpenWorker(std::move(loader));
    m_worker->moveToThread(m_thread);

    // Results of a job that was superseded by a newer open() are dropped here.
    connect(m_worker, &DatasetOpenWorker::progress, this,
            [this](quint64 job, const QString &stage, qint64 done, qint64 total, const QString &message) {
                if (job == m_job && m_busy)
                    Q_EMIT progress(stage, done, total, message);
            });
    connect(m_worker, &DatasetOpenWorker::opened, this, [this](quint64 job, DatasetPtr dataset, double seconds) {
        if (job != m_job)
            return;
        finishJob(job);
        Q_EMIT opened(std::move(dataset), seconds);
    });
    connect(m_worker, &DatasetOpenWorker::failed, this,
            [this](quint64 job, const QString &message, const QString &file) {
                if (job != m_job)
                    return;
                finishJob(job);
                Q_EMIT failed(message, file);
            });
    connect(m_worker, &DatasetOpenWorker::cancelled, this, [this](quint64 job) {
        if (job != m_job)
            return;
        finishJob(job);
        Q_EMIT cancelled();
    });
    m_thread->start();
}

DatasetController::~DatasetController()
{
    if (m_progress)
        m_progress->cancel();
    m_thread->quit();
    m_thread->wait();
    delete m_worker; // its thread has finished: safe to delete from here
}

QString DatasetController::describe(const data::DatasetSource &source)
{
    return QStringLiteral("%1 at %2")
        .arg(QString::fromStdString(source.format), QString::fromStdString(source.root.string()));
}

void DatasetController::open(const data::DatasetSource &source)
{
    if (m_progress)
        m_progress->cancel();
    const quint64 job = ++m_job;
    DatasetOpenWorker *worker = m_worker;
    m_progress = std::make_shared<CallbackProgress>(
        [worker, job](const ProgressEvent &event) { worker->forwardProgress(job, event); });
    setBusy(true);
    Q_EMIT started(describe(source));
    QMetaObject::invokeMethod(
        m_worker, [worker, job, source, progress = m_progress] { worker->load(job, source, progress); },
        Qt::QueuedConnection);
}

void DatasetController::cancel()
{
    if (m_progress)
        m_progress->cancel();
}

void DatasetController::finishJob(quint64)
{
    m_progress.reset();
    setBusy(false);
}

void DatasetController::setBusy(bool busy)
{
    if (m_busy == busy)
        return;
    m_busy = busy;
    Q_EMIT busyChanged(busy);
}

} // namespace poisonlab::ui
