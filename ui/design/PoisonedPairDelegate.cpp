#include "design/PoisonedPairDelegate.h"

#include "design/PoisonedPairListModel.h"

#include <QApplication>
#include <QFileInfo>
#include <QPainter>
#include <QPixmap>

#include <algorithm>

namespace poisonlab::ui {

namespace {
constexpr int kPad = 8;
constexpr int kMinCaptionWidth = 160;
constexpr int kComfortableCaptionWidth = 320;
constexpr int kMinThumbnail = 96;
constexpr int kMaxThumbnail = 144;

int arrowWidth(const QFont &font)
{
    return QFontMetrics(font).horizontalAdvance(QStringLiteral("→")) * 2 + kPad;
}
} // namespace

PoisonedPairDelegate::PoisonedPairDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
}

QColor PoisonedPairDelegate::poisonColor()
{
    return QColor(200, 30, 45); // the pair browser's "poisoned" red
}

void PoisonedPairDelegate::setThumbnailSize(QSize size)
{
    m_thumbnailSize = size;
}

int PoisonedPairDelegate::rowHeight(const QFont &font) const
{
    QFont bold = font;
    bold.setBold(true);
    const int labels = QFontMetrics(bold).height() + QFontMetrics(font).height();
    return kPad + m_thumbnailSize.height() + kPad / 2 + labels + kPad;
}

PoisonedPairDelegate::Layout PoisonedPairDelegate::layout(const QRect &rect, const QFont &font) const
{
    Layout l;
    const int arrow = arrowWidth(font);
    const int imagesWidth = 2 * m_thumbnailSize.width() + arrow + 3 * kPad;
    const int captionWidth = std::max(kMinCaptionWidth, rect.width() - imagesWidth - kPad);
    l.caption = QRect(rect.left() + kPad, rect.top() + kPad, captionWidth, rect.height() - 2 * kPad);
    const int imageHeight = rect.height() - 2 * kPad;
    l.original = QRect(l.caption.right() + 1 + kPad, rect.top() + kPad, m_thumbnailSize.width(), imageHeight);
    l.arrow = QRect(l.original.right() + 1, rect.top() + kPad, arrow, m_thumbnailSize.height());
    l.substituted = QRect(l.arrow.right() + 1, rect.top() + kPad, m_thumbnailSize.width(), imageHeight);
    return l;
}

int PoisonedPairDelegate::fittingThumbnailSide(int width, const QFont &font)
{
    const int forImages = width - kComfortableCaptionWidth - arrowWidth(font) - 4 * kPad;
    return std::clamp(forImages / 2 / 16 * 16, kMinThumbnail, kMaxThumbnail);
}

QSize PoisonedPairDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &) const
{
    const Layout l = layout(QRect(0, 0, 0, rowHeight(option.font)), option.font);
    return QSize(l.substituted.right() + kPad, rowHeight(option.font));
}

void PoisonedPairDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawPrimitive(QStyle::PE_PanelItemViewItem, &opt, painter, widget); // background, selection

    const Layout l = layout(option.rect, option.font);
    painter->save();
    const bool selected = option.state & QStyle::State_Selected;
    const QPalette::ColorRole textRole = selected ? QPalette::HighlightedText : QPalette::Text;
    // The caption: its index and class in a small muted line, then the text, wrapped.
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics smallMetrics(small);
    QColor muted = option.palette.color(textRole);
    muted.setAlphaF(0.65f);
    painter->setFont(small);
    painter->setPen(muted);
    const QString head = tr("caption %1 · %2")
                             .arg(index.data(PoisonedPairListModel::CaptionIndexRole).toInt())
                             .arg(index.data(PoisonedPairListModel::SourceClassRole).toString());
    painter->drawText(QRect(l.caption.topLeft(), QSize(l.caption.width(), smallMetrics.height())),
                      Qt::AlignLeft | Qt::AlignTop, smallMetrics.elidedText(head, Qt::ElideRight, l.caption.width()));
    painter->setFont(option.font);
    painter->setPen(option.palette.color(textRole));
    const QRect text = l.caption.adjusted(0, smallMetrics.height() + kPad / 2, 0, 0);
    painter->drawText(text, Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap,
                      index.data(PoisonedPairListModel::CaptionTextRole).toString());

    paintImage(painter, opt, l.original,
               qvariant_cast<QPixmap>(index.data(PoisonedPairListModel::OriginalThumbnailRole)),
               index.data(PoisonedPairListModel::SourceClassRole).toString(),
               index.data(PoisonedPairListModel::OriginalPathRole).toString(), false);
    QFont arrowFont = option.font;
    arrowFont.setPointSizeF(arrowFont.pointSizeF() * 1.6);
    painter->setFont(arrowFont);
    painter->setPen(muted);
    painter->drawText(l.arrow, Qt::AlignCenter, QStringLiteral("→"));
    paintImage(painter, opt, l.substituted, qvariant_cast<QPixmap>(index.data(PoisonedPairListModel::NewThumbnailRole)),
               index.data(PoisonedPairListModel::TargetClassRole).toString(),
               index.data(PoisonedPairListModel::NewPathRole).toString(), true);
    painter->restore();
}

void PoisonedPairDelegate::paintImage(QPainter *painter, const QStyleOptionViewItem &option, const QRect &box,
                                      const QPixmap &pixmap, const QString &className, const QString &path,
                                      bool poisoned) const
{
    const QRect thumbBox(box.topLeft(), m_thumbnailSize);
    QRect picture;
    if (!pixmap.isNull()) {
        // Both images fill boxes of the same size: the logical size, scaled to fit the box.
        const QSize logical = (pixmap.deviceIndependentSize().toSize()).scaled(thumbBox.size(), Qt::KeepAspectRatio);
        picture = QRect(QPoint(thumbBox.left() + (thumbBox.width() - logical.width()) / 2,
                               thumbBox.top() + (thumbBox.height() - logical.height()) / 2),
                        logical);
        painter->setRenderHint(QPainter::SmoothPixmapTransform);
        painter->drawPixmap(picture, pixmap);
    }
    if (poisoned && picture.isValid()) {
        painter->setPen(QPen(poisonColor(), 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(picture.adjusted(1, 1, -2, -2));
    }
    const bool selected = option.state & QStyle::State_Selected;
    const QColor text = option.palette.color(selected ? QPalette::HighlightedText : QPalette::Text);
    QFont bold = option.font;
    bold.setBold(true);
    QFont small = option.font;
    small.setPointSizeF(small.pointSizeF() * 0.9);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(small);
    const int top = thumbBox.bottom() + 1 + kPad / 2;
    // Labels may use the gaps beside the picture, so file names fit under small thumbnails.
    const QRect labels = box.adjusted(-kPad, 0, kPad, 0);
    painter->setFont(bold);
    QColor label = text;
    if (poisoned && !selected) // the frame's red; lighter on a dark base, so the label reads
        label = option.palette.color(QPalette::Base).lightness() < 128 ? QColor(255, 110, 120) : poisonColor();
    painter->setPen(label);
    painter->drawText(QRect(labels.left(), top, labels.width(), boldMetrics.height()), Qt::AlignHCenter | Qt::AlignTop,
                      boldMetrics.elidedText(className, Qt::ElideRight, labels.width()));
    QColor muted = text;
    muted.setAlphaF(0.7f);
    painter->setFont(small);
    painter->setPen(muted);
    const QString name = QFileInfo(path).fileName();
    painter->drawText(QRect(labels.left(), top + boldMetrics.height(), labels.width(), metrics.height()),
                      Qt::AlignHCenter | Qt::AlignTop, metrics.elidedText(name, Qt::ElideMiddle, labels.width()));
}

} // namespace poisonlab::ui
