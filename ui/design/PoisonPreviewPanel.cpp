#include "design/PoisonPreviewPanel.h"

#include "design/PoisonPreviewResult.h"
#include "design/PoisonedPairDelegate.h"
#include "design/PoisonedPairListModel.h"
#include "experiment/ExperimentDraft.h"
#include "jobs/JobRunner.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListView>
#include <QProgressBar>
#include <QPushButton>
#include <QScreen>
#include <QVBoxLayout>
#include <QWindow>

namespace poisonlab::ui {

namespace {

/// Readable on light and dark windows alike.
QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(255, 120, 120) : QColor(176, 0, 32);
}

QString unitName(const std::string &unit, long long n)
{
    if (unit == "image")
        return n == 1 ? PoisonPreviewPanel::tr("image") : PoisonPreviewPanel::tr("images");
    return n == 1 ? PoisonPreviewPanel::tr("caption") : PoisonPreviewPanel::tr("captions");
}

QString goalLines(const attack::PoisonManifest &m)
{
    QStringList lines;
    lines << PoisonPreviewPanel::tr("%1: rate %2 of each source class's %3 (seed %4, split \"%5\")")
                 .arg(QString::fromStdString(m.attack))
                 .arg(m.rate)
                 .arg(unitName(m.unit, 2))
                 .arg(m.seed)
                 .arg(QString::fromStdString(m.split));
    for (const auto &g : m.goals) {
        QString line = PoisonPreviewPanel::tr("%1 → %2: %3 of %4 eligible %5")
                           .arg(QString::fromStdString(g.source), QString::fromStdString(g.target))
                           .arg(g.poisonedUnits)
                           .arg(g.eligibleUnits)
                           .arg(unitName(m.unit, g.eligibleUnits));
        if (m.unit != "caption")
            line += PoisonPreviewPanel::tr(" (%1 of %2 pairs)").arg(g.poisonedPairs).arg(g.eligiblePairs);
        line += PoisonPreviewPanel::tr(", %1 of %2 %3 images used")
                    .arg(g.targetImagesUsed)
                    .arg(g.targetImages)
                    .arg(QString::fromStdString(g.target));
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace

PoisonPreviewPanel::PoisonPreviewPanel(ExperimentDraft *draft, QWidget *parent)
    : QWidget(parent), m_draft(draft), m_runner(new JobRunner(QStringLiteral("PoisonPreview"), this)),
      m_model(new PoisonedPairListModel(this)), m_delegate(new PoisonedPairDelegate(this)),
      m_summary(new QLabel(tr("No preview yet: pick the attack's classes and rate, then Preview."), this)),
      m_goals(new QLabel(this)), m_error(new QLabel(this)), m_progress(new QProgressBar(this)),
      m_refresh(new QPushButton(tr("&Preview"), this)), m_cancel(new QPushButton(tr("Cancel"), this)),
      m_showInBrowser(new QPushButton(tr("Show in pair browser"), this)), m_view(new QListView(this))
{
    qRegisterMetaType<PoisonPreviewResult>();
    QFont headerFont = m_summary->font();
    headerFont.setBold(true);
    m_summary->setFont(headerFont);
    for (QLabel *label : {m_summary, m_goals, m_error}) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_goals->hide();
    m_error->hide();
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(true);
    m_progress->hide();
    m_cancel->hide();
    m_refresh->setToolTip(tr("Build the poisoned training set of this experiment (as poisonlab-cli poison does)"));
    m_showInBrowser->setToolTip(tr("Mark these pairs as poisoned in the pair browser"));
    m_showInBrowser->setEnabled(false);

    m_view->setModel(m_model);
    m_view->setItemDelegate(m_delegate);
    m_view->setUniformItemSizes(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->viewport()->installEventFilter(this); // thumbnails grow with the list's width
    const int narrowest = PoisonedPairDelegate::fittingThumbnailSide(0, m_view->font());
    m_delegate->setThumbnailSize(QSize(narrowest, narrowest));
    QStyleOptionViewItem option;
    option.font = m_view->font();
    m_view->setMinimumWidth(m_delegate->sizeHint(option, {}).width() + 24);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_refresh);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();
    buttons->addWidget(m_showInBrowser);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_summary);
    layout->addWidget(m_goals);
    layout->addWidget(m_error);
    layout->addWidget(m_view, 1);
    layout->addWidget(buildPager());
    layout->addStretch(0); // takes the room while there is no list to show

    connect(m_refresh, &QPushButton::clicked, this, &PoisonPreviewPanel::refresh);
    connect(m_cancel, &QPushButton::clicked, this, &PoisonPreviewPanel::cancel);
    connect(m_showInBrowser, &QPushButton::clicked, this, &PoisonPreviewPanel::showInBrowserRequested);
    connect(m_model, &PoisonedPairListModel::pageChanged, this, &PoisonPreviewPanel::showPage);
    connect(m_runner, &JobRunner::finished, this,
            [this](quint64, const QVariant &result, double) { showResult(result.value<PoisonPreviewResult>()); });
    connect(m_runner, &JobRunner::failed, this,
            [this](quint64, const QString &message, const QString &file) { showFailure(message, file); });
    connect(m_runner, &JobRunner::progress, this, [this](quint64, const ProgressEvent &event) { showProgress(event); });
    connect(m_runner, &JobRunner::busyChanged, this, &PoisonPreviewPanel::setBusy);
    m_model->setThumbnailBound(m_delegate->thumbnailSize(), devicePixelRatioF());
    showPage(0, 1);
}

PoisonPreviewPanel::~PoisonPreviewPanel()
{
    delete m_runner; // cancels the running job and waits, before this object's slots go away
}

QWidget *PoisonPreviewPanel::buildPager()
{
    auto *pager = new QWidget(this);
    m_pager = pager;
    m_prev = new QPushButton(tr("◀ Prev"), pager);
    m_next = new QPushButton(tr("Next ▶"), pager);
    m_pageLabel = new QLabel(pager);
    m_pageLabel->setAlignment(Qt::AlignCenter);
    auto *row = new QHBoxLayout(pager);
    row->setContentsMargins(0, 0, 0, 0);
    row->addStretch();
    row->addWidget(m_prev);
    row->addWidget(m_pageLabel);
    row->addWidget(m_next);
    row->addStretch();
    connect(m_prev, &QPushButton::clicked, this, [this] { setPage(m_model->page() - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setPage(m_model->page() + 1); });
    return pager;
}

void PoisonPreviewPanel::refresh()
{
    experiment::ExperimentConfig config;
    try {
        config = m_draft->resolve(); // parsing only: quick, and the draft lives on this thread
    } catch (const Error &e) {
        m_runner->cancel();
        showFailure(QString::fromStdString(e.what()), QString::fromStdString(e.file().string()));
        return;
    }
    JobOptions options;
    options.contextFile = m_draft->file();
    m_runner->start(
        [config, file = m_draft->file().toStdString()](ProgressReporter &progress) {
            try {
                return QVariant::fromValue(computePoisonPreview(config, progress));
            } catch (const Error &e) {
                // An attack's bad option names no file: it is the draft's config.
                if (!e.file().empty() || file.empty())
                    throw;
                throw Error(std::filesystem::path(file), e.what());
            }
        },
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

QString PoisonPreviewPanel::goalsText() const
{
    return m_goals->isHidden() ? QString() : m_goals->text();
}

QString PoisonPreviewPanel::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

QString PoisonPreviewPanel::pageText() const
{
    return m_pageLabel->text();
}

void PoisonPreviewPanel::setPage(int page)
{
    m_model->setPage(page);
    m_view->scrollToTop();
}

void PoisonPreviewPanel::setPageSize(int pairs)
{
    m_model->setPageSize(pairs);
}

void PoisonPreviewPanel::setThumbnailSize(QSize size)
{
    m_fitThumbnails = false;
    applyThumbnailSize(size);
}

void PoisonPreviewPanel::applyThumbnailSize(QSize size)
{
    if (size == m_delegate->thumbnailSize())
        return;
    m_delegate->setThumbnailSize(size);
    m_model->setThumbnailBound(size, devicePixelRatioF());
    m_view->doItemsLayout(); // every row changes height
}

bool PoisonPreviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view->viewport() && event->type() == QEvent::Resize && m_fitThumbnails) {
        const int side = PoisonedPairDelegate::fittingThumbnailSide(m_view->viewport()->width(), m_view->font());
        applyThumbnailSize(QSize(side, side));
    }
    return QWidget::eventFilter(watched, event);
}

void PoisonPreviewPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateDevicePixelRatio();
    if (!m_screenWatched && window()->windowHandle()) {
        m_screenWatched = true; // moved to a screen of another ratio: decode at the new one
        connect(window()->windowHandle(), &QWindow::screenChanged, this, [this] { updateDevicePixelRatio(); });
    }
}

void PoisonPreviewPanel::updateDevicePixelRatio()
{
    m_model->setThumbnailBound(m_delegate->thumbnailSize(), devicePixelRatioF());
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
    m_goals->setText(goalLines(m));
    m_goals->show();
    m_model->setPreview(m_manifest, m_dataset);
    m_view->scrollToTop();
    m_showInBrowser->setEnabled(!m.pairs.empty());
    Q_EMIT previewReady(m_manifest, m_dataset);
}

void PoisonPreviewPanel::showFailure(const QString &message, const QString &file)
{
    m_manifest.reset();
    m_dataset.reset();
    m_model->setPreview(nullptr, nullptr);
    m_summary->setText(tr("No preview: the experiment cannot be poisoned as it is."));
    m_goals->hide();
    QPalette palette = m_error->palette();
    palette.setColor(QPalette::WindowText, errorColor(palette));
    m_error->setPalette(palette);
    m_error->setText(message);
    m_error->show();
    m_showInBrowser->setEnabled(false);
    Q_EMIT previewFailed(message, file);
}

void PoisonPreviewPanel::showProgress(const ProgressEvent &event)
{
    if (event.total > 0) {
        m_progress->setRange(0, 1000);
        m_progress->setValue(static_cast<int>(1000.0 * double(event.done) / double(event.total)));
    } else {
        m_progress->setRange(0, 0);
    }
    if (!event.message.empty())
        m_progress->setFormat(QString::fromStdString(event.message));
}

void PoisonPreviewPanel::showPage(int page, int pageCount)
{
    const bool any = m_model->pairCount() > 0;
    m_view->setVisible(any); // no empty white box before the first preview or after a failure
    m_pager->setVisible(any);
    m_pageLabel->setText(tr("page %1 of %2").arg(page + 1).arg(pageCount));
    m_prev->setEnabled(page > 0);
    m_next->setEnabled(page + 1 < pageCount);
}

void PoisonPreviewPanel::setBusy(bool busy)
{
    m_progress->setVisible(busy);
    m_progress->setRange(0, 0);
    m_progress->setFormat(tr("building the poisoned training set…"));
    m_cancel->setVisible(busy);
    m_view->setEnabled(!busy); // the last preview stays, greyed, until the new one is ready
    m_summary->setEnabled(!busy);
    m_goals->setEnabled(!busy);
    Q_EMIT busyChanged(busy);
}

} // namespace poisonlab::ui
