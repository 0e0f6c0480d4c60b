#include "experiment/ExperimentController.h"

#include "jobs/JobRunner.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QDir>

#include <filesystem>

namespace poisonlab::ui {

namespace fs = std::filesystem;

namespace {

fs::path toPath(const QString &s)
{
    return fs::path(s.toStdString());
}

// Read on the job's thread after a cancel: the run can be resumed when its folder holds a run
// that did not finish.
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

bool isTrainingStep(const ProgressEvent &e)
{
    return e.stage == "train" && (e.values.count("loss") || e.values.count("mean_loss"));
}

JobOptions experimentJobOptions(const QString &runDir)
{
    JobOptions options;
    // The loss chart wants every step (it batches redraws); an epoch's figures must never be dropped.
    options.deliverEvery = [](const ProgressEvent &e) { return isTrainingStep(e) || e.stage == "epoch-evaluation"; };
    options.onCancelled = [runDir] { return QVariant(isResumable(runDir)); };
    return options;
}

} // namespace

ExperimentController::ExperimentController(QObject *parent)
    : QObject(parent), m_runner(new JobRunner(QStringLiteral("Experiment"), this))
{
    qRegisterMetaType<TrainingStep>();
    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &event) { showProgress(event); });
    connect(m_runner, &JobRunner::finished, this, [this](quint64, const QVariant &result, double) {
        const QString dir = result.toString();
        Q_EMIT finished(dir.isEmpty() ? m_runDir : dir);
    });
    connect(m_runner, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { Q_EMIT failed(message, file, m_runDir); });
    connect(m_runner, &JobRunner::cancelled, this,
            [this](quint64, const QVariant &resumable) { Q_EMIT cancelled(m_runDir, resumable.toBool()); });
    connect(m_runner, &JobRunner::busyChanged, this, &ExperimentController::busyChanged);
}

ExperimentController::~ExperimentController()
{
    delete m_runner; // cancels the running job and waits, before this object's slots go away
}

bool ExperimentController::isBusy() const
{
    return m_runner->isBusy();
}

namespace {

std::map<std::string, std::string> coreVariables(const QMap<QString, QString> &vars)
{
    std::map<std::string, std::string> variables;
    for (auto it = vars.begin(); it != vars.end(); ++it)
        variables[it.key().toStdString()] = it.value().toStdString();
    return variables;
}

} // namespace

bool ExperimentController::start(const QString &configPath, const QMap<QString, QString> &vars, const QString &outDir,
                                 bool force)
{
    if (isBusy())
        return false;
    startRun([configPath, vars] { return experiment::ExperimentConfig::load(toPath(configPath), coreVariables(vars)); },
             outDir, force);
    return true;
}

bool ExperimentController::start(const nlohmann::json &doc, const QString &anchorFile,
                                 const QMap<QString, QString> &vars, const QString &outDir, bool force)
{
    if (isBusy())
        return false;
    startRun([doc, anchorFile,
              vars] { return experiment::ExperimentConfig::fromJson(doc, toPath(anchorFile), coreVariables(vars)); },
             outDir, force);
    return true;
}

// `load` runs on the job's thread: a config core rejects ends in failed() naming the file.
void ExperimentController::startRun(Load load, const QString &outDir, bool force)
{
    m_runDir = QDir::cleanPath(QDir(outDir).absolutePath());
    m_runner->start(
        [load = std::move(load), dir = m_runDir, force](ProgressReporter &progress) {
            const auto config = load();
            experiment::RunOptions options;
            options.outDir = toPath(dir);
            options.force = force;
            const auto outcome = experiment::ExperimentRunner::run(config, options, progress);
            return QVariant(QString::fromStdString(outcome.runDir.string()));
        },
        experimentJobOptions(m_runDir));
    Q_EMIT started(m_runDir, false);
}

bool ExperimentController::resume(const QString &runDir)
{
    if (isBusy())
        return false;
    m_runDir = QDir::cleanPath(QDir(runDir).absolutePath());
    m_runner->start(
        [dir = m_runDir](ProgressReporter &progress) {
            const auto outcome = experiment::ExperimentRunner::resume(toPath(dir), progress);
            return QVariant(QString::fromStdString(outcome.runDir.string()));
        },
        experimentJobOptions(m_runDir));
    Q_EMIT started(m_runDir, true);
    return true;
}

void ExperimentController::cancel()
{
    m_runner->cancel();
}

void ExperimentController::showProgress(const ProgressEvent &e)
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
        Q_EMIT stepReported(s);
    } else if (e.stage == "train" && e.values.count("mean_loss")) {
        Q_EMIT epochFinished(static_cast<int>(valueOr(e, "epoch", 0)), valueOr(e, "mean_loss", 0));
    } else if (e.stage == "epoch-evaluation") {
        QStringList goals;
        try {
            for (const auto &name : nlohmann::json::parse(e.message))
                goals << QString::fromStdString(name.get<std::string>());
        } catch (const std::exception &) {
            // no names: the figures still plot as goal 1, 2...
        }
        QVariantMap values;
        for (const auto &[key, value] : e.values)
            values.insert(QString::fromStdString(key), value);
        Q_EMIT epochEvaluated(static_cast<int>(valueOr(e, "epoch", double(e.done))), goals, values);
    } else {
        const std::string text = e.message.empty() ? e.stage : e.stage + ": " + e.message;
        Q_EMIT phaseChanged(QString::fromStdString(text), e.done, e.total);
    }
}

} // namespace poisonlab::ui
