#include "dataset/SkippedItemsModel.h"

namespace poisonlab::ui {

SkippedItemsModel::SkippedItemsModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void SkippedItemsModel::setDataset(DatasetPtr dataset)
{
    beginResetModel();
    m_dataset = std::move(dataset);
    endResetModel();
}

int SkippedItemsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_dataset ? 0 : static_cast<int>(m_dataset->skipped.size());
}

int SkippedItemsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 2;
}

QVariant SkippedItemsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || !m_dataset || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const auto &item = m_dataset->skipped.at(index.row());
    return QString::fromStdString(index.column() == 0 ? item.where : item.reason);
}

QVariant SkippedItemsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::DisplayRole)
        return section == 0 ? tr("File or record") : tr("Reason");
    return QAbstractTableModel::headerData(section, orientation, role);
}

} // namespace poisonlab::ui
