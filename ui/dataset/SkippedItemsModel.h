#pragma once

#include "dataset/DatasetPtr.h"

#include <QAbstractTableModel>

namespace poisonlab::ui {

/// The files and records a dataset import skipped, with the reason, for the "Skipped items" panel.
class SkippedItemsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit SkippedItemsModel(QObject *parent = nullptr);

    void setDataset(DatasetPtr dataset);
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    DatasetPtr m_dataset;
};

} // namespace poisonlab::ui
