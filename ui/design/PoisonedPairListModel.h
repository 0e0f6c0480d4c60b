#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"

#include <QAbstractListModel>
#include <QSize>

#include <memory>

namespace poisonlab::ui {

class ThumbnailCache;

/// One page of a poison preview's pairs (PoisonManifest::pairs, in the manifest's order): each
/// row is a poisoned caption with its original image and the image substituted for it. The rows
/// are views onto the shared manifest; thumbnails come from the model's own ThumbnailCache over
/// the poisoned dataset (the manifest's image indices refer to it), decoded off the GUI thread
/// and announced with dataChanged for the rows that show that image.
class PoisonedPairListModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role {
        CaptionTextRole = Qt::UserRole + 1, ///< QString
        CaptionIndexRole,                   ///< int: index into the poisoned dataset's captions
        PairIndexRole,                      ///< int: index into PoisonManifest::pairs
        SourceClassRole,                    ///< QString: the caption's class (A)
        TargetClassRole,                    ///< QString: the new image's class (B)
        OriginalPathRole,                   ///< QString: relative to its dataset's root
        NewPathRole,                        ///< QString
        OriginalThumbnailRole,              ///< QPixmap (a placeholder while it decodes)
        NewThumbnailRole,                   ///< QPixmap
    };

    explicit PoisonedPairListModel(QObject *parent = nullptr);
    ~PoisonedPairListModel() override;

    /// Shows `manifest`'s pairs from the first page (null clears). `dataset` is the poisoned
    /// dataset the pairs index into.
    void setPreview(std::shared_ptr<const attack::PoisonManifest> manifest,
                    std::shared_ptr<const data::Dataset> dataset);
    const std::shared_ptr<const attack::PoisonManifest> &manifest() const { return m_manifest; }

    void setPageSize(int pairs); ///< default 12; keeps the first pair shown on screen
    int pageSize() const { return m_pageSize; }
    int pageCount() const;              ///< at least 1
    int page() const { return m_page; } ///< 0-based
    void setPage(int page);             ///< clamped to [0, pageCount())
    int pairCount() const;

    /// Thumbnails fit in `bound` logical pixels at `devicePixelRatio` (decoded at bound × ratio
    /// physical pixels, so they are sharp on HiDPI screens).
    void setThumbnailBound(QSize bound, qreal devicePixelRatio = 1.0);
    QSize thumbnailBound() const { return m_bound; }
    ThumbnailCache *thumbnailCache() const { return m_cache; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void pageChanged(int page, int pageCount);

private:
    const attack::PoisonedPair *pairAt(int row) const;
    QSize requestBound() const;
    QVariant thumbnail(int image) const;
    void onThumbnailReady(int image, QSize bound);

    std::shared_ptr<const attack::PoisonManifest> m_manifest;
    ThumbnailCache *m_cache;
    int m_pageSize = 12;
    int m_page = 0;
    QSize m_bound{120, 120};
    qreal m_ratio = 1.0;
};

} // namespace poisonlab::ui
