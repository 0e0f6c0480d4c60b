#pragma once

#include "dataset/DatasetPtr.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;

namespace poisonlab::ui {

class PairFilterProxyModel;

/// The row of filter controls above the pair views: class, split, poison status, caption
/// search and "one per image". It drives a PairFilterProxyModel and shows how many rows match.
class PairFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit PairFilterBar(PairFilterProxyModel *proxy, QWidget *parent = nullptr);

    /// Fills the class and split choices from the dataset and resets every filter.
    void setDataset(const DatasetPtr &dataset);
    /// Selects a class (-1: all), as a click on the histogram does.
    void selectClass(int cls);

    QComboBox *classBox() const { return m_class; }
    QComboBox *splitBox() const { return m_split; }
    QComboBox *poisonBox() const { return m_poison; }
    QLineEdit *searchField() const { return m_search; }
    QCheckBox *onePerImageBox() const { return m_onePerImage; }
    QLabel *countLabel() const { return m_count; }
    /// "Selection: N images from … ✕", shown while the proxy has an image subset.
    QWidget *subsetChip() const { return m_subsetChip; }

private:
    void updateCount();

    PairFilterProxyModel *m_proxy;
    QComboBox *m_class;
    QComboBox *m_split;
    QComboBox *m_poison;
    QLineEdit *m_search;
    QCheckBox *m_onePerImage;
    QLabel *m_count;
    QWidget *m_subsetChip;
    QLabel *m_subsetText;
};

} // namespace poisonlab::ui
