#include "experiment/ExperimentController.h"

#include "experiment/ExperimentWorker.h"

#include <QDir>
#include <QThread>

namespace poisonlab::ui {

ExperimentController::ExperimentController(QObject *parent) : QObject(parent)
{
    qRegisterMetaType<TrainingStep>();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("Experiment"));
    m_worker = new ExperimentWorker;
    m_worker->moveToThread(m_thread);

    // Signals of an older job (there is only ever one, but be safe) are dropped.
    connect(m_worker, &ExperimentWorker::step, this, [this](quint64 job, TrainingStep s) {
        if (job == m_job && m_busy)
            Q_EMIT stepReported(s);
    });
    connect(m_worker, &ExperimentWorker::epochFinished, this, [this](quint64 job, int epoch, double loss) {
        if (job == m_job && m_busy)
            Q_EMIT epochFinished(epoch, loss);
    });
    connect(m_worker, &ExperimentWorker::phase, this,
            [this](quint64 job, const QString &text, qint64 done, qint64 total) {
                if (job == m_job && m_busy)
                    Q_EMIT phaseChanged(text, done, total);
            });
    connect(m_worker, &ExperimentWorker::finished, this, [this](quint64 job, const QString &dir) {
        if (job != m_job)
            return;
        end();
        Q_EMIT finished(dir);
    });
    connect(m_worker, &ExperimentWorker::failed, this,
            [this](quint64 job, const QString &message, const QString &file, const QString &dir) {
                if (job != m_job)
                    return;
                end();
                Q_EMIT failed(message, file, dir);
            });
    connect(m_worker, &ExperimentWorker::cancelled, this, [this](quint64 job, const QString &dir, bool resumable) {
        if (job != m_job)
            return;
        end();
        Q_EMIT cancelled(dir, resumable);
    });
    m_thread->start();
}

ExperimentController::~ExperimentController()
{
    cancel();
    m_thread->quit(); // runs after the current job returns (it stops within a training step)
    m_thread->wait();
    delete m_worker; // its thread has finished: safe to delete from here
}

bool ExperimentController::begin(const QString &runDir, bool resuming)
{
    if (m_busy)
        return false;
    ++m_job;
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_runDir = QDir::cleanPath(QDir(runDir).absolutePath());
    m_busy = true;
    Q_EMIT busyChanged(true);
    Q_EMIT started(m_runDir, resuming);
    return true;
}

void ExperimentController::end()
{
    m_cancel.reset();
    m_busy = false;
    Q_EMIT busyChanged(false);
}

bool ExperimentController::start(const QString &configPath, const QMap<QString, QString> &vars, const QString &outDir,
                                 bool force)
{
    if (!begin(outDir, false))
        return false;
    ExperimentWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker,
        [worker, job = m_job, configPath, vars, dir = m_runDir, force, flag = m_cancel] {
            worker->start(job, configPath, vars, dir, force, flag);
        },
        Qt::QueuedConnection);
    return true;
}

bool ExperimentController::resume(const QString &runDir)
{
    if (!begin(runDir, true))
        return false;
    ExperimentWorker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, job = m_job, dir = m_runDir, flag = m_cancel] { worker->resume(job, dir, flag); },
        Qt::QueuedConnection);
    return true;
}

void ExperimentController::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

} // namespace poisonlab::ui
