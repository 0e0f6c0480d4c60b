#include "jobs/JobWorker.h"

#include "jobs/HandOff.h"
#include "jobs/JobProgress.h"
#include "poisonlab/core/Error.h"

#include <QElapsedTimer>

namespace poisonlab::ui {

void JobWorker::run(quint64 job, const JobRunner::Work &work, const JobOptions &options,
                    const std::shared_ptr<JobProgress> &progress)
{
    QElapsedTimer clock;
    clock.start();
    try {
        progress->throwIfCancelled(); // cancelled or superseded while queued behind another job
        QVariant result = work(*progress);
        HandOff::post([&] { Q_EMIT finished(job, result, clock.elapsed() / 1000.0); });
    } catch (const CancelledError &) {
        const QVariant detail = cancelDetail(options);
        HandOff::post([&] { Q_EMIT cancelled(job, detail); });
    } catch (const Error &e) {
        HandOff::post(
            [&] { Q_EMIT failed(job, QString::fromStdString(e.what()), QString::fromStdString(e.file().string())); });
    } catch (const std::exception &e) {
        HandOff::post([&] { Q_EMIT failed(job, QString::fromStdString(e.what()), options.contextFile); });
    } catch (...) {
        HandOff::post([&] { Q_EMIT failed(job, tr("an unknown error stopped the work"), options.contextFile); });
    }
}

QVariant JobWorker::cancelDetail(const JobOptions &options)
{
    if (!options.onCancelled)
        return {};
    try {
        return options.onCancelled();
    } catch (...) {
        return {}; // the job is over either way; a failing follow-up must not escape the thread
    }
}

} // namespace poisonlab::ui
