#include "dataset/DatasetController.h"

#include "jobs/JobRunner.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

namespace poisonlab::ui {

DatasetController::DatasetController(QObject *parent, Loader loader)
    : QObject(parent), m_loader(std::move(loader)), m_runner(new JobRunner(QStringLiteral("DatasetOpen"), this))
{
    qRegisterMetaType<DatasetPtr>();
    if (!m_loader)
        m_loader = [](const data::DatasetSource &source, ProgressReporter &progress) {
            return plugin::openDataset(source, progress);
        };
    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &e) {
        Q_EMIT progress(QString::fromStdString(e.stage), e.done, e.total, QString::fromStdString(e.message));
    });
    connect(m_runner, &JobRunner::finished, this, [this](quint64, const QVariant &result, double seconds) {
        Q_EMIT opened(result.value<DatasetPtr>(), seconds);
    });
    connect(m_runner, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { Q_EMIT failed(message, file); });
    connect(m_runner, &JobRunner::cancelled, this, [this] { Q_EMIT cancelled(); });
    connect(m_runner, &JobRunner::busyChanged, this, &DatasetController::busyChanged);
}

DatasetController::~DatasetController()
{
    delete m_runner; // cancels the running job and waits, before this object's slots go away
}

QString DatasetController::describe(const data::DatasetSource &source)
{
    return QStringLiteral("%1 at %2")
        .arg(QString::fromStdString(source.format), QString::fromStdString(source.root.string()));
}

void DatasetController::open(const data::DatasetSource &source)
{
    JobOptions options;
    options.contextFile = QString::fromStdString(source.root.string());
    m_runner->start(
        [loader = m_loader, source](ProgressReporter &progress) {
            auto dataset = std::make_shared<const data::Dataset>(loader(source, progress));
            return QVariant::fromValue(DatasetPtr(std::move(dataset)));
        },
        std::move(options));
    Q_EMIT started(describe(source));
}

void DatasetController::cancel()
{
    m_runner->cancel();
}

bool DatasetController::isBusy() const
{
    return m_runner->isBusy();
}

} // namespace poisonlab::ui
