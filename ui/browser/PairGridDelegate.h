#pragma once

#include <QSize>
#include <QStyledItemDelegate>

namespace poisonlab::ui {

/// Paints one pair of the thumbnail grid: the picture, its class, the caption's start and a red
/// frame and badge on poisoned pairs. Every cell has the same size (uniform item sizes), so the
/// view never measures rows it does not show.
class PairGridDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit PairGridDelegate(QObject *parent = nullptr);

    void setThumbnailSize(QSize size);
    QSize thumbnailSize() const { return m_thumbnailSize; }
    QSize cellSize() const;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

private:
    QSize m_thumbnailSize{128, 128};
};

} // namespace poisonlab::ui
