#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/DatasetLoader.h"
#include "dataset/DatasetPtr.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QThread;

namespace poisonlab::ui {

class DatasetOpenWorker;

/// Opens datasets in the background. Owns a worker QObject living on its own QThread; the
/// worker calls core's openDataset() with a CallbackProgress whose cancel() the controller
/// calls from the GUI thread. Results come back through queued signals as DatasetPtr.
/// The destructor cancels the running job, quits the thread and waits for it.
class DatasetController : public QObject {
    Q_OBJECT
public:
    using Loader = std::function<data::Dataset(const data::DatasetSource &, ProgressReporter &)>;

    /// `loader` defaults to data::openDataset; tests pass their own.
    explicit DatasetController(QObject *parent = nullptr, Loader loader = {});
    ~DatasetController() override;

    /// Starts opening `source`; a job already running is cancelled and its result ignored.
    void open(const data::DatasetSource &source);
    /// Asks the running job to stop (it ends with cancelled()).
    void cancel();
    bool isBusy() const { return m_busy; }
    /// Human-readable description of a source ("pascal-sentences at /data/pascal").
    static QString describe(const data::DatasetSource &source);

Q_SIGNALS:
    void started(const QString &description);
    void progress(const QString &stage, qint64 done, qint64 total, const QString &message);
    void opened(poisonlab::ui::DatasetPtr dataset, double seconds);
    /// `file` is the file the problem is about (may be empty).
    void failed(const QString &message, const QString &file);
    void cancelled();
    void busyChanged(bool busy);

private:
    void finishJob(quint64 job);
    void setBusy(bool busy);

    QThread *m_thread = nullptr;
    DatasetOpenWorker *m_worker = nullptr;
    std::shared_ptr<CallbackProgress> m_progress; ///< the running job's; shared with the worker
    quint64 m_job = 0;                            ///< id of the latest job; older results are dropped
    bool m_busy = false;
};

} // namespace poisonlab::ui
