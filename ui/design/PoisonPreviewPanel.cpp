#include "design/PoisonPreviewPanel.h"

#include "design/PoisonPreviewResult.h"
#include "experiment/ExperimentDraft.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

namespace poisonlab::ui {

PoisonPreviewPanel::PoisonPreviewPanel(ExperimentDraft *draft, QWidget *parent)
    : QWidget(parent), m_draft(draft), m_runner(new JobRunner(QStringLiteral("PoisonPreview"), this)),
      m_summary(new QLabel(tr("No preview yet: pick the attack's classes and rate, then Preview."), this)),
      m_error(new QLabel(this)), m_progress(new QProgressBar(this)), m_refresh(new QPushButton(tr("&Preview"), this)),
      m_showInBrowser(new QPushButton(tr("Show in pair browser"), this))
{
    qRegisterMetaType<PoisonPreviewResult>();
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setForegroundRole(QPalette::BrightText);
    m_error->hide();
    m_progress->setRange(0, 0);
    m_progress->hide();
    m_showInBrowser->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();
    buttons->addWidget(m_showInBrowser);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_error);
    layout->addLayout(buttons);
    layout->addStretch();

    connect(m_refresh, &QPushButton::clicked, this, &PoisonPreviewPanel::refresh);
    connect(m_showInBrowser, &QPushButton::clicked, this, &PoisonPreviewPanel::showInBrowserRequested);
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showResult(result.value<PoisonPreviewResult>()); });
    connect(m_runner, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { showFailure(message, file); });
    connect(m_runner, &JobRunner::busyChanged, this, &PoisonPreviewPanel::setBusy);
}

PoisonPreviewPanel::~PoisonPreviewPanel()
{
    delete m_runner; // cancels the running job and waits, before this object's slots go away
}

void PoisonPreviewPanel::refresh()
{
    experiment::ExperimentConfig config;
    try {
        config = m_draft->resolve();
    } catch (const Error &e) {
        m_runner->cancel();
        showFailure(QString::fromStdString(e.what()), QString::fromStdString(e.file().string()));
        return;
    }
    JobOptions options;
    options.contextFile = m_draft->file();
    m_runner->start(
        [config](ProgressReporter &progress) { return QVariant::fromValue(computePoisonPreview(config, progress)); },
        options);
}

void PoisonPreviewPanel::cancel()
{
    m_runner->cancel();
}

bool PoisonPreviewPanel::isBusy() const
{
    return m_runner->isBusy();
}

std::shared_ptr<const attack::PoisonManifest> PoisonPreviewPanel::manifest() const
{
    return m_manifest;
}

std::shared_ptr<const data::Dataset> PoisonPreviewPanel::poisonedDataset() const
{
    return m_dataset;
}

QString PoisonPreviewPanel::summaryText() const
{
    return m_summary->text();
}

QString PoisonPreviewPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void PoisonPreviewPanel::showResult(const PoisonPreviewResult &result)
{
    m_manifest = result.manifest;
    m_dataset = result.dataset;
    m_error->hide();
    const auto &m = *m_manifest;
    m_summary->setText(tr("%1 poisoned pairs of %2 training pairs — φ = %3 %")
                           .arg(m.poisonedPairs)
                           .arg(m.trainingPairs)
                           .arg(100.0 * m.phi(), 0, 'f', 3));
    m_showInBrowser->setEnabled(!m.pairs.empty());
    Q_EMIT previewReady(m_manifest, m_dataset);
}

void PoisonPreviewPanel::showFailure(const QString &message, const QString &file)
{
    m_manifest.reset();
    m_dataset.reset();
    m_summary->setText(tr("No preview."));
    m_error->setText(message);
    m_error->show();
    m_showInBrowser->setEnabled(false);
    Q_EMIT previewFailed(message, file);
}

void PoisonPreviewPanel::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    Q_EMIT busyChanged(busy);
}

} // namespace poisonlab::ui
