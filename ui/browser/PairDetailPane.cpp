#include "browser/PairDetailPane.h"

#include "style/StatusColors.h"

#include "browser/PairTableModel.h"
#include "browser/ScaledImageView.h"
#include "browser/ThumbnailCache.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QListWidget>
#include <QVBoxLayout>

namespace poisonlab::ui {

namespace {
constexpr QSize kOriginalSize{256, 256};
}

PairDetailPane::PairDetailPane(ThumbnailCache *thumbnails, const PairTableModel *pairs, QWidget *parent)
    : QWidget(parent), m_thumbnails(thumbnails), m_pairs(pairs)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 8, 8, 8);

    m_empty = new QLabel(tr("Select a pair to see its image and all its captions."), this);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setStyleSheet(QStringLiteral("color: palette(mid);"));
    layout->addWidget(m_empty);

    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    layout->addWidget(m_title);

    m_picture = new ScaledImageView(this);
    m_picture->setObjectName(QStringLiteral("detailImage"));
    layout->addWidget(m_picture, 3);

    m_info = new QLabel(this);
    m_info->setObjectName(QStringLiteral("detailInfo"));
    m_info->setTextFormat(Qt::RichText);
    m_info->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_info->setWordWrap(true);
    layout->addWidget(m_info);

    m_poisonBox = new QFrame(this);
    m_poisonBox->setObjectName(QStringLiteral("poisonBox"));
    m_poisonBox->setFrameShape(QFrame::StyledPanel);
    m_poisonBox->setStyleSheet(QStringLiteral("#poisonBox { border: 2px solid %1; border-radius: 4px; }")
                                   .arg(StatusColors::poison(palette()).name()));
    auto *poisonLayout = new QHBoxLayout(m_poisonBox);
    m_poisonText = new QLabel(m_poisonBox);
    m_poisonText->setWordWrap(true);
    m_poisonText->setTextFormat(Qt::RichText);
    m_originalPicture = new ScaledImageView(m_poisonBox);
    m_originalPicture->setMinimumSize(96, 72);
    m_originalPicture->setMaximumSize(128, 96);
    poisonLayout->addWidget(m_poisonText, 1);
    poisonLayout->addWidget(m_originalPicture);
    layout->addWidget(m_poisonBox);

    auto *captionsTitle = new QLabel(tr("Captions of this image"), this);
    captionsTitle->setFont(titleFont);
    layout->addWidget(captionsTitle);
    m_captions = new QListWidget(this);
    m_captions->setObjectName(QStringLiteral("detailCaptions"));
    m_captions->setWordWrap(true);
    m_captions->setSelectionMode(QAbstractItemView::NoSelection);
    m_captions->setAlternatingRowColors(true);
    layout->addWidget(m_captions, 2);

    connect(m_thumbnails, &ThumbnailCache::thumbnailReady, this, &PairDetailPane::onThumbnailReady);
    showCaption(-1);
}

void PairDetailPane::showCaption(int caption)
{
    const DatasetPtr &dataset = m_pairs->dataset();
    const bool valid = dataset && caption >= 0 && static_cast<size_t>(caption) < dataset->captions.size();
    m_caption = valid ? caption : -1;
    m_empty->setVisible(!valid);
    for (QWidget *w : std::initializer_list<QWidget *>{m_title, m_picture, m_info, m_captions})
        w->setVisible(valid);
    if (!valid) {
        m_image = m_originalImage = -1;
        m_poisonBox->hide();
        m_picture->setPixmap({});
        m_captions->clear();
        return;
    }
    const auto &pair = dataset->captions[caption];
    m_image = pair.image;
    const bool imageKnown = m_image >= 0 && static_cast<size_t>(m_image) < dataset->images.size();
    static const data::ImageRecord none{};
    const auto &image = imageKnown ? dataset->images[m_image] : none;

    m_title->setText(QString::fromStdString(image.path));
    m_picture->setPixmap(m_thumbnails->thumbnail(m_image, kImageSize));

    QStringList categories;
    for (int c : image.categories)
        categories << m_pairs->className(c).toHtmlEscaped();
    QSize pixels(image.width, image.height);
    if (pixels.width() <= 0) // not in the annotations: the file's header says (a few bytes, cheap)
        pixels = QImageReader(QString::fromStdString(dataset->imagePath(m_image).string())).size();
    const QString size =
        pixels.isValid() ? QStringLiteral("%1 × %2").arg(pixels.width()).arg(pixels.height()) : tr("unknown");
    m_info->setText(tr("<table cellspacing='2'>"
                       "<tr><td><b>Label</b></td><td>%1</td></tr>"
                       "<tr><td><b>Categories</b></td><td>%2</td></tr>"
                       "<tr><td><b>Split</b></td><td>%3</td></tr>"
                       "<tr><td><b>Size</b></td><td>%4</td></tr>"
                       "<tr><td><b>Source id</b></td><td>%5</td></tr>"
                       "<tr><td><b>Pair</b></td><td>caption #%6 of %7</td></tr></table>")
                        .arg(m_pairs->className(image.label).toHtmlEscaped(),
                             categories.isEmpty() ? tr("—") : categories.join(QStringLiteral(", ")),
                             PairTableModel::splitLabel(image.split), size,
                             QString::fromStdString(image.sourceId).toHtmlEscaped())
                        .arg(caption)
                        .arg(dataset->captions.size()));

    m_originalImage = pair.poisoned ? pair.originalImage : -1;
    const bool originalKnown = m_originalImage >= 0 && static_cast<size_t>(m_originalImage) < dataset->images.size();
    m_poisonBox->setVisible(pair.poisoned);
    if (pair.poisoned) {
        const QString original =
            originalKnown ? QString::fromStdString(dataset->images[m_originalImage].path) : tr("(not recorded)");
        m_poisonText->setText(tr("<b style='color:%5'>Poisoned pair.</b> The caption "
                                 "<i>“%1”</i> was written for <b>%2</b> (class %3); the attack paired it with "
                                 "this image (class %4).")
                                  .arg(QString::fromStdString(pair.text).toHtmlEscaped(), original.toHtmlEscaped(),
                                       m_pairs->className(m_pairs->captionClass(caption)).toHtmlEscaped(),
                                       m_pairs->className(image.label).toHtmlEscaped(),
                                       StatusColors::poison(palette()).name()));
        m_originalPicture->setVisible(originalKnown);
        if (originalKnown)
            m_originalPicture->setPixmap(m_thumbnails->thumbnail(m_originalImage, kOriginalSize));
    }

    // Every caption now paired with this image; the selected one in bold, poisoned ones in red.
    m_captions->clear();
    for (int other : m_pairs->captionsOfImage(m_image)) {
        const auto &c = dataset->captions[other];
        auto *item = new QListWidgetItem(QString::fromStdString(c.text), m_captions);
        item->setData(Qt::UserRole, other);
        if (c.poisoned) {
            item->setForeground(StatusColors::poison(palette()));
            item->setText(tr("[poisoned] %1").arg(item->text()));
        }
        if (other == caption) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
    }
}

void PairDetailPane::onThumbnailReady(int image, QSize size)
{
    if (image == m_image && size == kImageSize)
        m_picture->setPixmap(m_thumbnails->thumbnail(m_image, kImageSize));
    if (image == m_originalImage && size == kOriginalSize)
        m_originalPicture->setPixmap(m_thumbnails->thumbnail(m_originalImage, kOriginalSize));
}

} // namespace poisonlab::ui
