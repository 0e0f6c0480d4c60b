#pragma once

#include "dataset/DatasetPtr.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QChart;
class QChartView;

namespace poisonlab::ui {

/// Images per class, overall and per split (what the histogram draws).
struct ClassCounts {
    QStringList classes;
    QVector<int> total;                             ///< per class
    QVector<QPair<QString, QVector<int>>> perSplit; ///< split name -> per class, splits present only
    int unlabelled = 0;                             ///< images with label -1

    static ClassCounts count(const data::Dataset &dataset);
};

/// The class histogram (Qt Charts bar series), optionally one bar set per split. A click on a
/// bar selects that class (classClicked); exportTo() writes the chart as PNG or SVG.
class ClassHistogramView : public QWidget {
    Q_OBJECT
public:
    explicit ClassHistogramView(QWidget *parent = nullptr);

    void setDataset(const DatasetPtr &dataset);
    void setPerSplit(bool perSplit);
    bool perSplit() const { return m_perSplit; }
    const ClassCounts &counts() const { return m_counts; }
    QChartView *chartView() const { return m_view; }

    /// Writes the chart to `path` (.png or .svg, by suffix); false + error on failure.
    bool exportTo(const QString &path, QString *error = nullptr) const;
    /// Asks for a file name and exports (File > Export Class Histogram…).
    void exportInteractively();

Q_SIGNALS:
    void classClicked(int cls);

private:
    void rebuild();

    ClassCounts m_counts;
    bool m_perSplit = false;
    QCheckBox *m_perSplitBox;
    QChartView *m_view;
};

} // namespace poisonlab::ui
