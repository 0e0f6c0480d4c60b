#include "design/PoisonedPairListModel.h"

#include "browser/ThumbnailCache.h"

#include <QPixmap>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

PoisonedPairListModel::PoisonedPairListModel(QObject *parent)
    : QAbstractListModel(parent), m_cache(new ThumbnailCache(this))
{
    connect(m_cache, &ThumbnailCache::thumbnailReady, this, &PoisonedPairListModel::onThumbnailReady);
}

PoisonedPairListModel::~PoisonedPairListModel() = default;

void PoisonedPairListModel::setPreview(std::shared_ptr<const attack::PoisonManifest> manifest,
                                       std::shared_ptr<const data::Dataset> dataset)
{
    beginResetModel();
    m_manifest = manifest ? std::move(manifest) : nullptr;
    m_cache->setDataset(m_manifest ? std::move(dataset) : nullptr);
    m_page = 0;
    endResetModel();
    Q_EMIT pageChanged(m_page, pageCount());
}

int PoisonedPairListModel::pairCount() const
{
    return m_manifest ? static_cast<int>(m_manifest->pairs.size()) : 0;
}

int PoisonedPairListModel::pageCount() const
{
    return std::max(1, (pairCount() + m_pageSize - 1) / m_pageSize);
}

void PoisonedPairListModel::setPageSize(int pairs)
{
    pairs = std::max(1, pairs);
    if (pairs == m_pageSize)
        return;
    const int first = m_page * m_pageSize;
    beginResetModel();
    m_pageSize = pairs;
    m_page = first / m_pageSize;
    endResetModel();
    Q_EMIT pageChanged(m_page, pageCount());
}

void PoisonedPairListModel::setPage(int page)
{
    page = std::clamp(page, 0, pageCount() - 1);
    if (page == m_page)
        return;
    beginResetModel();
    m_page = page;
    endResetModel();
    Q_EMIT pageChanged(m_page, pageCount());
}

void PoisonedPairListModel::setThumbnailBound(QSize bound, qreal devicePixelRatio)
{
    if (bound == m_bound && qFuzzyCompare(devicePixelRatio, m_ratio))
        return;
    m_bound = bound;
    m_ratio = devicePixelRatio > 0 ? devicePixelRatio : 1.0;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0), index(rowCount() - 1), {OriginalThumbnailRole, NewThumbnailRole});
}

QSize PoisonedPairListModel::requestBound() const
{
    return QSize(static_cast<int>(std::ceil(m_bound.width() * m_ratio)),
                 static_cast<int>(std::ceil(m_bound.height() * m_ratio)));
}

int PoisonedPairListModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid())
        return 0;
    return std::clamp(pairCount() - m_page * m_pageSize, 0, m_pageSize);
}

const attack::PoisonedPair *PoisonedPairListModel::pairAt(int row) const
{
    const int i = m_page * m_pageSize + row;
    return row >= 0 && row < rowCount() ? &m_manifest->pairs[static_cast<size_t>(i)] : nullptr;
}

QVariant PoisonedPairListModel::thumbnail(int image) const
{
    if (image < 0)
        return {};
    QPixmap pixmap = m_cache->thumbnail(image, requestBound());
    pixmap.setDevicePixelRatio(m_ratio);
    return pixmap;
}

QVariant PoisonedPairListModel::data(const QModelIndex &index, int role) const
{
    const attack::PoisonedPair *pair = index.isValid() ? pairAt(index.row()) : nullptr;
    if (!pair)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case CaptionTextRole:
        return QString::fromStdString(pair->text);
    case Qt::ToolTipRole:
        return tr("Caption %1 (%2): moved from %3 to %4 (%5)")
            .arg(pair->caption)
            .arg(QString::fromStdString(pair->sourceClass), QString::fromStdString(pair->originalPath),
                 QString::fromStdString(pair->newPath), QString::fromStdString(pair->targetClass));
    case CaptionIndexRole:
        return pair->caption;
    case PairIndexRole:
        return m_page * m_pageSize + index.row();
    case SourceClassRole:
        return QString::fromStdString(pair->sourceClass);
    case TargetClassRole:
        return QString::fromStdString(pair->targetClass);
    case OriginalPathRole:
        return QString::fromStdString(pair->originalPath);
    case NewPathRole:
        return QString::fromStdString(pair->newPath);
    case OriginalThumbnailRole:
        return thumbnail(pair->originalImage);
    case NewThumbnailRole:
        return thumbnail(pair->newImage);
    }
    return {};
}

void PoisonedPairListModel::onThumbnailReady(int image, QSize bound)
{
    if (bound != requestBound())
        return;
    for (int row = 0; row < rowCount(); ++row) {
        const attack::PoisonedPair *pair = pairAt(row);
        if (pair->originalImage == image)
            Q_EMIT dataChanged(index(row), index(row), {OriginalThumbnailRole});
        if (pair->newImage == image)
            Q_EMIT dataChanged(index(row), index(row), {NewThumbnailRole});
    }
}

} // namespace poisonlab::ui
