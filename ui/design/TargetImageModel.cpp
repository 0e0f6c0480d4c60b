#include "design/TargetImageModel.h"

#include "browser/ThumbnailCache.h"

#include <QFileInfo>

namespace poisonlab::ui {

TargetImageModel::TargetImageModel(ThumbnailCache *cache, QObject *parent) : QAbstractListModel(parent), m_cache(cache)
{
    connect(m_cache, &ThumbnailCache::thumbnailReady, this, &TargetImageModel::onThumbnailReady);
}

void TargetImageModel::setImages(DatasetPtr dataset, int classIndex, const QString &split)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_images.clear();
    m_rowOfImage.clear();
    if (m_dataset) {
        const std::string s = split.toStdString();
        for (size_t i = 0; i < m_dataset->images.size(); ++i) {
            const data::ImageRecord &r = m_dataset->images[i];
            const bool classOk = classIndex >= 0 ? r.label == classIndex : r.label >= 0;
            if (classOk && (s == "all" || data::splitName(r.split) == s)) {
                m_rowOfImage.insert(static_cast<int>(i), static_cast<int>(m_images.size()));
                m_images.push_back(static_cast<int>(i));
            }
        }
    }
    if (m_cache->dataset() != m_dataset)
        m_cache->setDataset(m_dataset);
    endResetModel();
}

int TargetImageModel::rowOfPath(const QString &path) const
{
    const std::string p = path.toStdString();
    for (size_t r = 0; r < m_images.size(); ++r)
        if (m_dataset->images[m_images[r]].path == p)
            return static_cast<int>(r);
    return -1;
}

int TargetImageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_images.size());
}

QVariant TargetImageModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const int image = m_images[static_cast<size_t>(index.row())];
    const data::ImageRecord &r = m_dataset->images[image];
    const QString path = QString::fromStdString(r.path);
    switch (role) {
    case Qt::DisplayRole:
        return QFileInfo(path).fileName();
    case Qt::DecorationRole:
        return m_cache->thumbnail(image, m_bound);
    case Qt::ToolTipRole: {
        const QString cls = r.label >= 0 ? QString::fromStdString(m_dataset->classes[r.label]) : tr("no class");
        return tr("%1\nclass %2, %3 split").arg(path, cls, QString::fromUtf8(data::splitName(r.split)));
    }
    case PathRole:
        return path;
    case ImageIndexRole:
        return image;
    default:
        return {};
    }
}

void TargetImageModel::onThumbnailReady(int image, QSize bound)
{
    const auto it = m_rowOfImage.constFind(image);
    if (bound != m_bound || it == m_rowOfImage.cend())
        return;
    const QModelIndex at = index(*it);
    Q_EMIT dataChanged(at, at, {Qt::DecorationRole});
}

} // namespace poisonlab::ui
