#pragma once

#include "dataset/DatasetPtr.h"

#include <QAbstractTableModel>
#include <QPointer>
#include <QSize>
#include <QStringList>

#include <span>
#include <vector>

namespace poisonlab::ui {

class ThumbnailCache;

/// One row per image-caption pair of a dataset, in the dataset's caption order. Rows are
/// views onto the shared, immutable Dataset: nothing is copied per row; strings become QString
/// only when a view asks for them.
class PairTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ImageColumn, CaptionColumn, ClassColumn, SplitColumn, PoisonedColumn, ColumnCount };
    enum Role {
        CaptionIndexRole = Qt::UserRole + 1, ///< int: index into Dataset::captions (== source row)
        ImageIndexRole,                      ///< int: the image the caption is paired with now
        ImagePathRole,                       ///< QString: path relative to the dataset root
        CaptionTextRole,                     ///< QString
        CaptionClassRole,                    ///< int: class of the caption (of its original image)
        ImageClassRole,                      ///< int: label of the image shown
        SplitRole,                           ///< int: data::Split
        PoisonedRole,                        ///< bool
        OriginalImageIndexRole,              ///< int: for poisoned pairs, the caption's own image; else -1
        ThumbnailStateRole,                  ///< int: ThumbnailCache::State (asks for the thumbnail)
    };

    explicit PairTableModel(QObject *parent = nullptr);

    void setDataset(DatasetPtr dataset);
    const DatasetPtr &dataset() const { return m_dataset; }

    /// Where DecorationRole of the image column gets its thumbnails (none: no decoration).
    void setThumbnailCache(ThumbnailCache *cache);
    ThumbnailCache *thumbnailCache() const;
    void setThumbnailSize(QSize size);
    QSize thumbnailSize() const { return m_thumbnailSize; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// Captions (rows) paired with `image`, in order.
    std::span<const int> captionsOfImage(int image) const;
    /// Class of a caption: the label of the image it was written for (its original image when poisoned).
    int captionClass(int caption) const;
    QString className(int cls) const; ///< "—" for -1
    const QStringList &classNames() const { return m_classNames; }
    static QString splitLabel(data::Split split);

private:
    void onThumbnailReady(int image, QSize size);

    DatasetPtr m_dataset;
    QStringList m_classNames;
    std::vector<int> m_imageCaptionOffsets; // CSR index: captions of image i are rows[off[i], off[i+1])
    std::vector<int> m_imageCaptionRows;
    QPointer<ThumbnailCache> m_cache;
    QSize m_thumbnailSize{128, 128};
};

} // namespace poisonlab::ui
