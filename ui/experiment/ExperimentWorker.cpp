#include "experiment/ExperimentWorker.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QDateTime>
#include <QFileInfo>

namespace poisonlab::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}

// The job's progress: forwards events to the worker (on the worker's thread, where core calls
// report()) and answers wasCancelled() from the flag the controller sets.
class WorkerProgress final : public ProgressReporter {
public:
    WorkerProgress(std::function<void(const ProgressEvent &)> forward, CancelFlag cancel)
        : m_forward(std::move(forward)), m_cancel(std::move(cancel))
    {
    }
    void report(const ProgressEvent &event) override { m_forward(event); }
    bool wasCancelled() const override { return m_cancel->load(std::memory_order_relaxed); }

private:
    std::function<void(const ProgressEvent &)> m_forward;
    CancelFlag m_cancel;
};

bool isResumable(const QString &runDir)
{
    try {
        const fs::path dir = toPath(runDir);
        return experiment::RunDirectory::isRunDirectory(dir) &&
               experiment::RunDirectory::open(dir).manifest().status != "finished";
    } catch (const std::exception &) {
        return false;
    }
}

double valueOr(const ProgressEvent &e, const char *key, double fallback)
{
    const auto it = e.values.find(key);
    return it == e.values.end() ? fallback : it->second;
}

} // namespace

void ExperimentWorker::start(quint64 job, const QString &configPath, const QMap<QString, QString> &vars,
                             const QString &outDir, bool force, CancelFlag cancel)
{
    execute(job, outDir, cancel, [&](ProgressReporter &progress) {
        std::map<std::string, std::string> variables;
        for (auto it = vars.begin(); it != vars.end(); ++it)
            variables[it.key().toStdString()] = it.value().toStdString();
        const auto config = experiment::ExperimentConfig::load(toPath(configPath), variables);
        experiment::RunOptions options;
        options.outDir = toPath(outDir);
        options.force = force;
        const auto outcome = experiment::ExperimentRunner::run(config, options, progress);
        return QString::fromStdString(outcome.runDir.string());
    });
}

void ExperimentWorker::resume(quint64 job, const QString &runDir, CancelFlag cancel)
{
    execute(job, runDir, cancel, [&](ProgressReporter &progress) {
        const auto outcome = experiment::ExperimentRunner::resume(toPath(runDir), progress);
        return QString::fromStdString(outcome.runDir.string());
    });
}

void ExperimentWorker::execute(quint64 job, const QString &runDir, const CancelFlag &cancel,
                               const std::function<QString(ProgressReporter &)> &work)
{
    m_lastPhase.clear();
    m_lastPhaseMs = -1;
    WorkerProgress progress([this, job](const ProgressEvent &e) { forward(job, e); }, cancel);
    try {
        progress.throwIfCancelled(); // cancelled while still queued
        const QString done = work(progress);
        Q_EMIT finished(job, done.isEmpty() ? runDir : done);
    } catch (const CancelledError &) {
        Q_EMIT cancelled(job, runDir, isResumable(runDir));
    } catch (const Error &e) {
        Q_EMIT failed(job, QString::fromStdString(e.what()), QString::fromStdString(e.file().string()), runDir);
    } catch (const std::exception &e) {
        Q_EMIT failed(job, QString::fromStdString(e.what()), QString(), runDir);
    }
}

void ExperimentWorker::forward(quint64 job, const ProgressEvent &e)
{
    if (e.stage == "train" && e.values.count("loss")) {
        TrainingStep s;
        s.step = e.done;
        s.totalSteps = e.total;
        s.epoch = static_cast<int>(valueOr(e, "epoch", 0));
        s.loss = valueOr(e, "loss", 0);
        s.learningRate = valueOr(e, "lr", 0);
        s.samplesPerSecond = valueOr(e, "samples_per_s", 0);
        s.etaSeconds = valueOr(e, "eta_s", -1);
        Q_EMIT step(job, s); // every step: the loss chart wants them all (it coalesces redraws)
        return;
    }
    if (e.stage == "train" && e.values.count("mean_loss")) {
        Q_EMIT epochFinished(job, static_cast<int>(valueOr(e, "epoch", 0)), valueOr(e, "mean_loss", 0));
        return;
    }
    // Other stages can report per batch: a new text always goes out, repeats at most ~20 a second.
    const QString text = QString::fromStdString(e.message.empty() ? e.stage : e.stage + ": " + e.message);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (text == m_lastPhase && m_lastPhaseMs >= 0 && now - m_lastPhaseMs < 50)
        return;
    m_lastPhase = text;
    m_lastPhaseMs = now;
    Q_EMIT phase(job, text, e.done, e.total);
}

} // namespace poisonlab::ui
