#include "dataset/DatasetOpenWorker.h"

#include "poisonlab/core/Error.h"

#include <QElapsedTimer>

namespace poisonlab::ui {

DatasetOpenWorker::DatasetOpenWorker(DatasetController::Loader loader) : m_loader(std::move(loader))
{
}

void DatasetOpenWorker::forwardProgress(quint64 job, const ProgressEvent &event)
{
    const bool last = event.total > 0 && event.done >= event.total;
    if (m_sinceLastProgress.isValid() && m_sinceLastProgress.elapsed() < 50 && !last)
        return;
    m_sinceLastProgress.restart();
    Q_EMIT progress(job, QString::fromStdString(event.stage), event.done, event.total,
                    QString::fromStdString(event.message));
}

void DatasetOpenWorker::load(quint64 job, const data::DatasetSource &source, std::shared_ptr<CallbackProgress> progress)
{
    QElapsedTimer clock;
    clock.start();
    m_sinceLastProgress.invalidate();
    try {
        progress->throwIfCancelled(); // cancelled while queued behind another job
        auto dataset = std::make_shared<data::Dataset>(m_loader(source, *progress));
        if (progress->wasCancelled()) {
            Q_EMIT cancelled(job);
            return;
        }
        Q_EMIT opened(job, DatasetPtr(std::move(dataset)), clock.elapsed() / 1000.0);
    } catch (const CancelledError &) {
        Q_EMIT cancelled(job);
    } catch (const Error &e) {
        Q_EMIT failed(job, QString::fromStdString(e.what()), QString::fromStdString(e.file().string()));
    } catch (const std::exception &e) {
        Q_EMIT failed(job, QString::fromStdString(e.what()), QString::fromStdString(source.root.string()));
    }
}

} // namespace poisonlab::ui
