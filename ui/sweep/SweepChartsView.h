#pragma once

#include "sweep/SweepData.h"
#include "sweep/SweepMetric.h"

#include <QWidget>

class QComboBox;
class QLabel;

namespace poisonlab::ui {

class LineChartWidget;

/// A sweep's figures against one swept key, three charts side by side: the attack's Hit@K (K
/// chosen), its MinRank, and the model's utility (R_mean or R@10 caption → image) — the paper's
/// poison-rate and epoch ablations. With two or more axes, one line per value of the others.
/// Unfinished cells get no point; a line under the charts names them. Each chart has Export….
class SweepChartsView : public QWidget {
    Q_OBJECT
public:
    explicit SweepChartsView(QWidget *parent = nullptr);

    /// Shows `sweep` (null: nothing); keeps the chosen key and K when they still exist.
    void setSweep(SweepDataPtr sweep);

    /// The axis charted along x (an index into the sweep's axes).
    void setXAxis(int axis);
    int xAxis() const;
    void setHitK(int k);
    int hitK() const;
    void setUtilityMetric(SweepMetric metric); ///< R10 or RMean
    SweepMetric utilityMetric() const;

    LineChartWidget *hitChart() const { return m_hit; }
    LineChartWidget *minRankChart() const { return m_minRank; }
    LineChartWidget *utilityChart() const { return m_utility; }
    QComboBox *xAxisBox() const { return m_xAxis; }
    QComboBox *hitKBox() const { return m_k; }
    /// For a key whose values are no numbers: "Positions on the x axis: 1 = sheep → aeroplane · …".
    QString positionsText() const;
    /// "Not plotted: rate-1 (running), …"; empty when every cell is plotted.
    QString notPlottedText() const;

Q_SIGNALS:
    void hitKChanged(int k);

private:
    void refresh();
    void plot(LineChartWidget *chart, SweepMetric metric, int k);

    SweepDataPtr m_sweep;
    QComboBox *m_xAxis;
    QComboBox *m_k;
    QComboBox *m_utilityMetric;
    LineChartWidget *m_hit;
    LineChartWidget *m_minRank;
    LineChartWidget *m_utility;
    QLabel *m_positions;
    QLabel *m_notPlotted;
};

} // namespace poisonlab::ui
