#include "browser/PairGridDelegate.h"

#include "style/StatusColors.h"

#include "browser/PairTableModel.h"

#include <QApplication>
#include <QPainter>
#include <QPixmap>

namespace poisonlab::ui {

namespace {
constexpr int kPad = 6;
constexpr int kTextLines = 2;
} // namespace

PairGridDelegate::PairGridDelegate(QObject *parent) : QStyledItemDelegate(parent)
{
}

void PairGridDelegate::setThumbnailSize(QSize size)
{
    m_thumbnailSize = size;
}

QSize PairGridDelegate::cellSize() const
{
    const int line = QFontMetrics(QApplication::font()).height();
    return QSize(m_thumbnailSize.width() + 2 * kPad + 8, m_thumbnailSize.height() + 3 * kPad + kTextLines * line);
}

QSize PairGridDelegate::sizeHint(const QStyleOptionViewItem &, const QModelIndex &) const
{
    return cellSize();
}

void PairGridDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // Our own background: the style's icon-mode selection only marks the (empty) text rect.
    const bool selected = option.state & QStyle::State_Selected;
    if (selected) {
        QColor highlight = option.palette.color(QPalette::Highlight);
        painter->save();
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(highlight, 2));
        highlight.setAlpha(50);
        painter->setBrush(highlight);
        painter->drawRoundedRect(QRectF(option.rect).adjusted(1, 1, -1, -1), 6, 6);
        painter->restore();
    } else if (option.state & QStyle::State_MouseOver) {
        QColor hover = option.palette.color(QPalette::Highlight);
        hover.setAlpha(20);
        painter->fillRect(option.rect, hover);
    }

    painter->save();
    painter->setRenderHint(QPainter::SmoothPixmapTransform);
    const QRect cell = option.rect;
    const QRect thumbBox(cell.left() + (cell.width() - m_thumbnailSize.width()) / 2, cell.top() + kPad,
                         m_thumbnailSize.width(), m_thumbnailSize.height());
    const QPixmap pixmap = qvariant_cast<QPixmap>(index.data(Qt::DecorationRole));
    QRect picture;
    if (!pixmap.isNull()) {
        const QSize shown = pixmap.size().scaled(thumbBox.size(), Qt::KeepAspectRatio);
        picture = QRect(QPoint(thumbBox.left() + (thumbBox.width() - shown.width()) / 2,
                               thumbBox.top() + (thumbBox.height() - shown.height()) / 2),
                        shown);
        painter->drawPixmap(picture, pixmap);
    }

    const bool poisoned = index.data(PairTableModel::PoisonedRole).toBool();
    if (poisoned && picture.isValid()) {
        const QColor red = StatusColors::poison(option.palette);
        painter->setPen(QPen(red, 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawRect(picture.adjusted(1, 1, -2, -2));
        QFont badgeFont = option.font;
        badgeFont.setPointSizeF(badgeFont.pointSizeF() * 0.8);
        badgeFont.setBold(true);
        painter->setFont(badgeFont);
        const QString badge = PairTableModel::tr("POISONED");
        const QRect badgeRect(picture.left() + 3, picture.top() + 3,
                              QFontMetrics(badgeFont).horizontalAdvance(badge) + 8,
                              QFontMetrics(badgeFont).height() + 2);
        painter->fillRect(badgeRect, red);
        painter->setPen(Qt::white);
        painter->drawText(badgeRect, Qt::AlignCenter, badge);
    }

    // Class on the first line (bold), the caption's beginning on the second.
    const QColor textColor = option.palette.color(QPalette::Text);
    const QModelIndex classIndex = index.siblingAtColumn(PairTableModel::ClassColumn);
    const QString cls = classIndex.data().toString();
    const QString caption = index.data(PairTableModel::CaptionTextRole).toString();
    const QRect textRect(cell.left() + kPad, thumbBox.bottom() + kPad, cell.width() - 2 * kPad,
                         cell.bottom() - thumbBox.bottom() - kPad);
    QFont bold = option.font;
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    const QFontMetrics metrics(option.font);
    painter->setFont(bold);
    painter->setPen(poisoned ? StatusColors::poison(option.palette) : textColor);
    painter->drawText(QRect(textRect.topLeft(), QSize(textRect.width(), boldMetrics.height())),
                      Qt::AlignHCenter | Qt::AlignTop, boldMetrics.elidedText(cls, Qt::ElideRight, textRect.width()));
    painter->setFont(option.font);
    painter->setPen(textColor);
    painter->drawText(QRect(textRect.left(), textRect.top() + boldMetrics.height(), textRect.width(), metrics.height()),
                      Qt::AlignHCenter | Qt::AlignTop, metrics.elidedText(caption, Qt::ElideRight, textRect.width()));
    painter->restore();
}

} // namespace poisonlab::ui
