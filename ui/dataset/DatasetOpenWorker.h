#pragma once

#include "dataset/DatasetController.h"

#include <QElapsedTimer>
#include <QObject>

namespace poisonlab::ui {

/// Lives on DatasetController's thread and runs one open at a time. Progress from core is
/// throttled (at most ~20 signals a second) so a 600k-caption import does not flood the GUI.
class DatasetOpenWorker : public QObject {
    Q_OBJECT
public:
    explicit DatasetOpenWorker(DatasetController::Loader loader);

    void load(quint64 job, const data::DatasetSource &source, std::shared_ptr<CallbackProgress> progress);
    void forwardProgress(quint64 job, const ProgressEvent &event);

Q_SIGNALS:
    void progress(quint64 job, const QString &stage, qint64 done, qint64 total, const QString &message);
    void opened(quint64 job, poisonlab::ui::DatasetPtr dataset, double seconds);
    void failed(quint64 job, const QString &message, const QString &file);
    void cancelled(quint64 job);

private:
    DatasetController::Loader m_loader;
    QElapsedTimer m_sinceLastProgress;
};

} // namespace poisonlab::ui
