#include "browser/PairTableModel.h"

#include "style/StatusColors.h"

#include "browser/ThumbnailCache.h"

#include <QColor>
#include <QFont>
#include <QGuiApplication>

namespace poisonlab::ui {

PairTableModel::PairTableModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void PairTableModel::setDataset(DatasetPtr dataset)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    m_classNames.clear();
    m_imageCaptionOffsets.clear();
    m_imageCaptionRows.clear();
    if (m_dataset) {
        for (const auto &name : m_dataset->classes)
            m_classNames << QString::fromStdString(name);
        const size_t images = m_dataset->images.size();
        m_imageCaptionOffsets.assign(images + 1, 0);
        for (const auto &caption : m_dataset->captions)
            if (caption.image >= 0 && static_cast<size_t>(caption.image) < images)
                ++m_imageCaptionOffsets[caption.image + 1];
        for (size_t i = 0; i < images; ++i)
            m_imageCaptionOffsets[i + 1] += m_imageCaptionOffsets[i];
        m_imageCaptionRows.resize(m_imageCaptionOffsets.back());
        std::vector<int> fill(m_imageCaptionOffsets.begin(), m_imageCaptionOffsets.end() - 1);
        for (size_t c = 0; c < m_dataset->captions.size(); ++c) {
            const int image = m_dataset->captions[c].image;
            if (image >= 0 && static_cast<size_t>(image) < images)
                m_imageCaptionRows[fill[image]++] = static_cast<int>(c);
        }
    }
    endResetModel();
}

void PairTableModel::setThumbnailCache(ThumbnailCache *cache)
{
    if (m_cache)
        disconnect(m_cache, nullptr, this, nullptr);
    m_cache = cache;
    if (m_cache)
        connect(m_cache, &ThumbnailCache::thumbnailReady, this, &PairTableModel::onThumbnailReady);
}

ThumbnailCache *PairTableModel::thumbnailCache() const
{
    return m_cache;
}

void PairTableModel::setThumbnailSize(QSize size)
{
    if (size == m_thumbnailSize)
        return;
    m_thumbnailSize = size;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ImageColumn), index(rowCount() - 1, ImageColumn), {Qt::DecorationRole});
}

int PairTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_dataset ? 0 : static_cast<int>(m_dataset->captions.size());
}

int PairTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

std::span<const int> PairTableModel::captionsOfImage(int image) const
{
    if (image < 0 || static_cast<size_t>(image) + 1 >= m_imageCaptionOffsets.size())
        return {};
    return std::span<const int>(m_imageCaptionRows)
        .subspan(m_imageCaptionOffsets[image], m_imageCaptionOffsets[image + 1] - m_imageCaptionOffsets[image]);
}

int PairTableModel::captionClass(int caption) const
{
    if (!m_dataset || caption < 0 || static_cast<size_t>(caption) >= m_dataset->captions.size())
        return -1;
    const auto &c = m_dataset->captions[caption];
    const int own = c.poisoned && c.originalImage >= 0 ? c.originalImage : c.image;
    if (own < 0 || static_cast<size_t>(own) >= m_dataset->images.size())
        return -1;
    return m_dataset->images[own].label;
}

QString PairTableModel::className(int cls) const
{
    return cls >= 0 && cls < m_classNames.size() ? m_classNames[cls] : QStringLiteral("—");
}

QString PairTableModel::splitLabel(data::Split split)
{
    return split == data::Split::None ? QStringLiteral("—") : QString::fromLatin1(data::splitName(split));
}

QVariant PairTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_dataset || index.row() >= rowCount())
        return {};
    const int row = index.row();
    const auto &caption = m_dataset->captions[row];
    const bool imageKnown = caption.image >= 0 && static_cast<size_t>(caption.image) < m_dataset->images.size();
    static const data::ImageRecord noImage{};
    const auto &image = imageKnown ? m_dataset->images[caption.image] : noImage;

    switch (role) {
    case CaptionIndexRole:
        return row;
    case ImageIndexRole:
        return caption.image;
    case ImagePathRole:
        return QString::fromStdString(image.path);
    case CaptionTextRole:
        return QString::fromStdString(caption.text);
    case CaptionClassRole:
        return captionClass(row);
    case ImageClassRole:
        return image.label;
    case SplitRole:
        return static_cast<int>(image.split);
    case PoisonedRole:
        return caption.poisoned;
    case OriginalImageIndexRole:
        return caption.poisoned ? caption.originalImage : -1;
    case ThumbnailStateRole: {
        ThumbnailCache::State state = ThumbnailCache::State::Failed;
        if (m_cache)
            m_cache->thumbnail(caption.image, m_thumbnailSize, &state);
        return static_cast<int>(state);
    }
    default:
        break;
    }

    const int column = index.column();
    if (role == Qt::DisplayRole) {
        switch (column) {
        case ImageColumn:
            return QString::fromStdString(image.path);
        case CaptionColumn:
            return QString::fromStdString(caption.text);
        case ClassColumn: {
            const int own = captionClass(row);
            if (caption.poisoned && own != image.label)
                return QStringLiteral("%1 → %2").arg(className(own), className(image.label));
            return className(own);
        }
        case SplitColumn:
            return splitLabel(image.split);
        case PoisonedColumn:
            return caption.poisoned ? tr("poisoned") : QString();
        }
    } else if (role == Qt::DecorationRole && column == ImageColumn) {
        if (m_cache)
            return m_cache->thumbnail(caption.image, m_thumbnailSize);
    } else if (role == Qt::ToolTipRole) {
        if (column == CaptionColumn)
            return QString::fromStdString(caption.text);
        if (column == ImageColumn || column == PoisonedColumn) {
            QString tip = QString::fromStdString(image.path);
            if (caption.poisoned && caption.originalImage >= 0 &&
                static_cast<size_t>(caption.originalImage) < m_dataset->images.size())
                tip += tr("\nPoisoned: this caption was written for %1")
                           .arg(QString::fromStdString(m_dataset->images[caption.originalImage].path));
            return tip;
        }
    } else if (role == Qt::ForegroundRole && column == PoisonedColumn && caption.poisoned) {
        return StatusColors::poison(QGuiApplication::palette());
    } else if (role == Qt::FontRole && column == PoisonedColumn && caption.poisoned) {
        QFont font;
        font.setBold(true);
        return font;
    }
    return {};
}

QVariant PairTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ImageColumn:
        return tr("Image");
    case CaptionColumn:
        return tr("Caption");
    case ClassColumn:
        return tr("Class");
    case SplitColumn:
        return tr("Split");
    case PoisonedColumn:
        return tr("Poisoned");
    }
    return {};
}

void PairTableModel::onThumbnailReady(int image, QSize size)
{
    if (size != m_thumbnailSize)
        return;
    // Only the rows of that image change; captions of one image are usually contiguous rows,
    // so emit one signal per run of consecutive rows.
    const auto rows = captionsOfImage(image);
    size_t i = 0;
    while (i < rows.size()) {
        size_t j = i;
        while (j + 1 < rows.size() && rows[j + 1] == rows[j] + 1)
            ++j;
        Q_EMIT dataChanged(index(rows[i], ImageColumn), index(rows[j], ImageColumn), {Qt::DecorationRole});
        i = j + 1;
    }
}

} // namespace poisonlab::ui
