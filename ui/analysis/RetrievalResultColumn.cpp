#include "analysis/RetrievalResultColumn.h"

#include "browser/ThumbnailCache.h"
#include "style/StatusColors.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPainter>
#include <QVBoxLayout>

#include <algorithm>

namespace poisonlab::ui {

namespace {

enum Role { PathRole = Qt::UserRole, RowRole, TargetRole };

QString tileText(const experiment::ImageHit &h)
{
    // Ranks are shown 1-based (#1 = nothing scores higher); the metrics count from 0.
    return QString("#%1  %2\n%3")
        .arg(h.rank + 1)
        .arg(double(h.score), 0, 'f', 3)
        .arg(h.className.empty() ? QString("-") : QString::fromStdString(h.className));
}

} // namespace

RetrievalResultColumn::RetrievalResultColumn(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_model = new QComboBox(this);
    m_model->setToolTip(tr("The model whose embeddings rank the gallery: final (fine-tuned), initial (the "
                           "starting model) or the model after epoch N"));
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->hide();
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);

    m_images = new QListWidget(this);
    m_images->setViewMode(QListView::IconMode);
    m_images->setResizeMode(QListView::Adjust);
    m_images->setMovement(QListView::Static);
    m_images->setWrapping(true);
    m_images->setUniformItemSizes(true);
    m_images->setIconSize(QSize(kThumbnail, kThumbnail));
    m_images->setGridSize(QSize(kThumbnail + 16, kThumbnail + 2 * fontMetrics().height() + 14));
    m_images->setSpacing(2);
    m_images->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_images->setWordWrap(true);

    m_captionsTitle = new QLabel(tr("Pick an image to see its closest captions."), this);
    m_captionsTitle->setWordWrap(true);
    m_captions = new QListWidget(this);
    m_captions->setMaximumHeight(fontMetrics().height() * 8);
    m_captions->setWordWrap(true);

    m_thumbnails = new ThumbnailCache(this);
    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, [this](int row, QSize) { updateIcons(row); });
    connect(m_model, &QComboBox::activated, this, [this] { Q_EMIT modelChanged(model()); });
    connect(m_images, &QListWidget::itemSelectionChanged, this, &RetrievalResultColumn::onSelectionChanged);

    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(new QLabel(tr("Model:"), this));
    header->addWidget(m_model);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_message);
    layout->addWidget(m_summary);
    layout->addWidget(m_images, 1);
    layout->addWidget(m_captionsTitle);
    layout->addWidget(m_captions);
}

void RetrievalResultColumn::setTitle(const QString &title)
{
    m_title->setText(title);
}

void RetrievalResultColumn::setModels(const QStringList &models, const QString &current)
{
    m_model->clear();
    m_model->addItems(models);
    m_model->setCurrentText(current);
}

QString RetrievalResultColumn::model() const
{
    return m_model->currentText();
}

void RetrievalResultColumn::setGallery(GalleryPtr gallery)
{
    if (gallery == m_gallery)
        return;
    m_gallery = std::move(gallery);
    m_thumbnails->setDevicePixelRatio(devicePixelRatioF());
    m_thumbnails->setDataset(m_gallery ? m_gallery->dataset() : nullptr);
    clearResults();
}

void RetrievalResultColumn::clearResults()
{
    m_images->clear();
    m_captions->clear();
    m_summary->clear();
}

QPixmap RetrievalResultColumn::tile(int row, bool target)
{
    const qreal ratio = devicePixelRatioF();
    const QSize bound(kThumbnail - 8, kThumbnail - 8);
    const QPixmap thumb = m_thumbnails->thumbnail(row, bound);
    QPixmap out(QSize(kThumbnail, kThumbnail) * ratio);
    out.setDevicePixelRatio(ratio);
    out.fill(Qt::transparent);
    QPainter p(&out);
    const QSizeF size = thumb.deviceIndependentSize();
    const QPointF at((kThumbnail - size.width()) / 2, (kThumbnail - size.height()) / 2);
    p.drawPixmap(at, thumb);
    if (target) {
        // The red frame and badge of poisoned pairs in the pair browser.
        const QColor red = StatusColors::poison(palette());
        p.setPen(QPen(red, 3));
        p.drawRect(QRectF(at, size).adjusted(-1.5, -1.5, 1.5, 1.5));
        QFont badge = font();
        badge.setPointSizeF(badge.pointSizeF() * 0.75);
        badge.setBold(true);
        p.setFont(badge);
        const QRectF box(at.x(), at.y(), QFontMetricsF(badge).horizontalAdvance("TARGET") + 6,
                         QFontMetricsF(badge).height() + 2);
        p.fillRect(box, red);
        p.setPen(Qt::white);
        p.drawText(box, Qt::AlignCenter, "TARGET");
    }
    return out;
}

void RetrievalResultColumn::updateIcons(int row)
{
    for (int i = 0; i < m_images->count(); ++i) {
        QListWidgetItem *item = m_images->item(i);
        if (item->data(RowRole).toInt() == row)
            item->setIcon(tile(row, item->data(TargetRole).toBool()));
    }
}

void RetrievalResultColumn::showImages(const std::vector<experiment::ImageHit> &hits)
{
    const QSignalBlocker block(m_images);
    m_images->clear();
    for (const auto &h : hits) {
        auto *item = new QListWidgetItem(tile(h.row, h.target), tileText(h));
        const QString path = QString::fromStdString(h.path);
        item->setData(PathRole, path);
        item->setData(RowRole, h.row);
        item->setData(TargetRole, h.target);
        item->setToolTip(tr("%1\nrank %2: %3 image(s) score higher; cosine similarity %4%5")
                             .arg(path)
                             .arg(h.rank + 1)
                             .arg(h.rank)
                             .arg(double(h.score), 0, 'f', 4)
                             .arg(h.target ? tr("\nA target image of the attack") : QString()));
        if (h.target)
            item->setForeground(StatusColors::poison(palette()));
        m_images->addItem(item);
    }
    // How far the poison pulled its targets up: the count a reader looks for at a glance.
    const auto targets = std::count_if(hits.begin(), hits.end(), [](const auto &h) { return h.target; });
    QString goals;
    if (m_gallery)
        for (const auto &name : m_gallery->goalNames())
            goals += (goals.isEmpty() ? "" : ", ") + QString::fromStdString(name);
    m_summary->setText(
        goals.isEmpty()
            ? tr("The run names no attack goal: no target images to mark.")
            : tr("%1 of the top %2 are target images (red frame) of %3.").arg(targets).arg(hits.size()).arg(goals));
}

void RetrievalResultColumn::showCaptions(const std::vector<experiment::CaptionHit> &hits, const QString &imagePath)
{
    m_captions->clear();
    m_captionsTitle->setText(tr("Closest captions to %1 (bold: its own captions):").arg(imagePath));
    for (const auto &h : hits) {
        auto *item = new QListWidgetItem(
            QString("#%1  %2  %3").arg(h.rank + 1).arg(double(h.score), 0, 'f', 3).arg(QString::fromStdString(h.text)));
        QFont f = m_captions->font();
        f.setBold(m_gallery && h.imageRow == m_gallery->imageRowOf(imagePath.toStdString()));
        item->setFont(f);
        item->setToolTip(
            tr("class %1%2").arg(QString::fromStdString(h.className), h.poisoned ? tr(", poisoned pair") : QString()));
        m_captions->addItem(item);
    }
}

void RetrievalResultColumn::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? StatusColors::errorStyle(palette()) : QString());
    m_message->setVisible(!text.isEmpty());
}

QString RetrievalResultColumn::message() const
{
    return m_message->isVisible() ? m_message->text() : QString();
}

QStringList RetrievalResultColumn::selectedPaths() const
{
    QStringList out;
    for (int i = 0; i < m_images->count(); ++i)
        if (m_images->item(i)->isSelected())
            out << m_images->item(i)->data(PathRole).toString();
    return out;
}

void RetrievalResultColumn::onSelectionChanged()
{
    const QStringList paths = selectedPaths();
    Q_EMIT selectionChanged(paths);
    if (paths.size() == 1)
        Q_EMIT imagePicked(paths.front());
}

} // namespace poisonlab::ui
