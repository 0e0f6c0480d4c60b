#pragma once

#include <QSize>
#include <QStyledItemDelegate>

namespace poisonlab::ui {

/// Paints one row of the poison preview: the poisoned caption (wrapped) | its original image |
/// → | the image substituted for it, both thumbnails in boxes of the same size, each labelled
/// with its class and file name. The substituted image has the pair browser's red "poisoned"
/// frame. Colours come from the palette (dark themes read well); only the poison red is fixed.
class PoisonedPairDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit PoisonedPairDelegate(QObject *parent = nullptr);

    void setThumbnailSize(QSize size);
    QSize thumbnailSize() const { return m_thumbnailSize; }
    /// The thumbnail side that uses a row `width` wide well: as large as it can be (96 to 144,
    /// in steps of 16, so resizing re-decodes rarely) while the caption keeps a readable width.
    static int fittingThumbnailSide(int width, const QFont &font);
    /// Height of every row (the view can use uniform item sizes).
    int rowHeight(const QFont &font) const;
    /// The boxes of a row in `rect`: the caption, the original and the substituted image.
    struct Layout {
        QRect caption;
        QRect original;
        QRect arrow;
        QRect substituted;
    };
    Layout layout(const QRect &rect, const QFont &font) const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    static QColor poisonColor();

private:
    void paintImage(QPainter *painter, const QStyleOptionViewItem &option, const QRect &box, const QPixmap &pixmap,
                    const QString &className, const QString &path, bool poisoned) const;

    QSize m_thumbnailSize{128, 128};
};

} // namespace poisonlab::ui
