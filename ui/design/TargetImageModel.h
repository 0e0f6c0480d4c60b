#pragma once

#include "dataset/DatasetPtr.h"

#include <QAbstractListModel>
#include <QHash>
#include <QSize>

#include <vector>

namespace poisonlab::ui {

class ThumbnailCache;

/// The candidate target images x* of Attack I: one row per image (its file name, thumbnail and
/// path relative to the dataset root). A light list over the shared dataset; thumbnails come
/// from a ThumbnailCache and each arriving one refreshes its row only.
class TargetImageModel : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { PathRole = Qt::UserRole + 1, ImageIndexRole };

    TargetImageModel(ThumbnailCache *cache, QObject *parent = nullptr);

    /// Lists the images of `dataset` whose label is `classIndex` (-1: every labelled image) in
    /// `split` ("all": every split).
    void setImages(DatasetPtr dataset, int classIndex, const QString &split);
    int rowOfPath(const QString &path) const; ///< -1 when not listed
    QSize thumbnailSize() const { return m_bound; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    void onThumbnailReady(int image, QSize bound);

    ThumbnailCache *m_cache;
    DatasetPtr m_dataset;
    std::vector<int> m_images;
    QHash<int, int> m_rowOfImage;
    QSize m_bound{96, 72};
};

} // namespace poisonlab::ui
