#include "design/TrainingSetReader.h"

#include "experiment/ExperimentDraft.h"
#include "jobs/JobRunner.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentData.h"

#include <QDir>
#include <QTimer>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

// The draft's config without its attack (and defenses): the clean training set the attack would poison.
experiment::ExperimentConfig cleanConfig(const ExperimentDraft &draft)
{
    json doc = draft.document();
    doc["attack"] = nullptr;
    doc.erase("defenses");
    const QString anchor =
        draft.file().isEmpty() ? QDir::current().absoluteFilePath(QStringLiteral("experiment.json")) : draft.file();
    return experiment::ExperimentConfig::fromJson(doc, anchor.toStdString(), draft.coreVariables());
}

// What decides the training set: the datasets, the training list and split, and the variables.
QString readKey(const ExperimentDraft &draft)
{
    json key = {{"datasets", draft.section("datasets")}, {"train", draft.section("train")}};
    for (auto it = draft.variables().cbegin(); it != draft.variables().cend(); ++it)
        key["vars"][it.key().toStdString()] = it.value().toStdString();
    key["file"] = draft.file().toStdString();
    return QString::fromStdString(key.dump());
}

} // namespace

TrainingSetReader::TrainingSetReader(ExperimentDraft *draft, QObject *parent)
    : QObject(parent), m_draft(draft), m_runner(new JobRunner(QStringLiteral("TrainingSet"), this)),
      m_debounce(new QTimer(this))
{
    qRegisterMetaType<std::shared_ptr<const TrainingSetSummary>>();
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(300);
    connect(m_debounce, &QTimer::timeout, this, &TrainingSetReader::readNow);
    connect(m_draft, &ExperimentDraft::reset, this, &TrainingSetReader::scheduleRead);
    connect(m_draft, &ExperimentDraft::variablesChanged, this, &TrainingSetReader::scheduleRead);
    connect(m_draft, &ExperimentDraft::sectionChanged, this, [this](const QString &key) {
        if (key == QLatin1String("datasets") || key == QLatin1String("train"))
            scheduleRead();
    });
    connect(m_runner, &JobRunner::finished, this, [this](quint64, const QVariant &result, double) {
        m_summary = result.value<std::shared_ptr<const TrainingSetSummary>>();
        m_readKey = m_pendingKey;
        m_error.clear();
        m_errorFile.clear();
        Q_EMIT ready(m_summary);
    });
    connect(m_runner, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { fail(message, file); });
}

TrainingSetReader::~TrainingSetReader()
{
    delete m_runner; // cancels and waits before this object's members go away
}

bool TrainingSetReader::isBusy() const
{
    return m_runner->isBusy() || m_debounce->isActive();
}

void TrainingSetReader::setDebounceMs(int ms)
{
    m_debounce->setInterval(ms);
}

void TrainingSetReader::scheduleRead()
{
    m_debounce->start();
}

void TrainingSetReader::readNow()
{
    m_debounce->stop();
    const QString key = readKey(*m_draft);
    if (m_summary && key == m_readKey && m_error.isEmpty() && !m_runner->isBusy())
        return; // the same data as the last good read
    experiment::ExperimentConfig config;
    try {
        config = cleanConfig(*m_draft);
    } catch (const Error &e) {
        m_runner->cancel();
        return fail(QString::fromStdString(e.what()), QString::fromStdString(e.file().string()));
    } catch (const std::exception &e) {
        m_runner->cancel();
        return fail(QString::fromStdString(e.what()), m_draft->file());
    }
    m_pendingKey = key;
    JobOptions options;
    options.contextFile = m_draft->file();
    m_runner->start(
        [config](ProgressReporter &progress) {
            experiment::ExperimentData data = experiment::prepareExperimentData(config, progress);
            auto summary =
                std::make_shared<TrainingSetSummary>(TrainingSetSummary::compute(*data.dataset, config.trainSplit));
            summary->dataset = data.dataset;
            return QVariant::fromValue(std::shared_ptr<const TrainingSetSummary>(std::move(summary)));
        },
        options);
    Q_EMIT started();
}

void TrainingSetReader::fail(const QString &message, const QString &file)
{
    m_summary.reset();
    m_readKey.clear();
    m_error = message;
    m_errorFile = file;
    Q_EMIT failed(message, file);
}

} // namespace poisonlab::ui
