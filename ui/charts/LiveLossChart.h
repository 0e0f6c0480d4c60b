#pragma once

#include "charts/LineChartWidget.h"

#include <QTimer>

namespace poisonlab::ui {

/// The training loss while a run trains. Steps arrive one signal each (hundreds a second on a
/// fast machine); they are buffered and drawn together by a single-shot timer (~40 ms), so the
/// chart repaints at most ~25 times a second however fast the steps come.
class LiveLossChart : public LineChartWidget {
    Q_OBJECT
public:
    static constexpr int kRedrawDelayMs = 40;

    explicit LiveLossChart(QWidget *parent = nullptr);

    /// Buffers one step's loss; the chart shows it at the next redraw.
    void addStep(qint64 step, double loss);
    /// Buffers an epoch's mean loss (drawn as a second line at the epoch's last step).
    void addEpoch(qint64 step, double meanLoss);
    void clear();

    int redrawCount() const { return m_redraws; }
    int pointCount() const; ///< points drawn so far (step line)
    int pendingCount() const { return static_cast<int>(m_pendingSteps.size() + m_pendingEpochs.size()); }

private:
    void redraw();
    void scheduleRedraw();

    QTimer m_timer;
    QList<QPointF> m_pendingSteps;
    QList<QPointF> m_pendingEpochs;
    int m_redraws = 0;
};

} // namespace poisonlab::ui
