#pragma once

#include "dataset/DatasetPtr.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/DatasetSource.h"

#include <QObject>
#include <QString>

#include <functional>

namespace poisonlab::ui {

class JobRunner;

/// Opens datasets in the background through its JobRunner: core's openDataset() runs on the
/// runner's thread, progress and the result come back as queued signals (DatasetPtr), and a
/// newer open() supersedes an older one. The runner's destructor cancels and waits.
class DatasetController : public QObject {
    Q_OBJECT
public:
    using Loader = std::function<data::Dataset(const data::DatasetSource &, ProgressReporter &)>;

    /// `loader` defaults to plugin::openDataset; tests pass their own.
    explicit DatasetController(QObject *parent = nullptr, Loader loader = {});
    ~DatasetController() override;

    /// Starts opening `source`; a job already running is cancelled and its result ignored.
    void open(const data::DatasetSource &source);
    /// Asks the running job to stop (it ends with cancelled()).
    void cancel();
    bool isBusy() const;
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
    Loader m_loader;
    JobRunner *m_runner;
};

} // namespace poisonlab::ui
