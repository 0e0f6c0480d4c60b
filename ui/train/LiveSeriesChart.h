#pragma once

#include "charts/LineChartWidget.h"

#include <QMap>
#include <QStringList>
#include <QTimer>

namespace poisonlab::ui {

/// A live line chart with named lines (learning rate, samples/s, Hit@K per goal, R@K), built
/// like LiveLossChart: points are buffered and drawn together by a ~40 ms single-shot timer, so
/// a stream of steps repaints it at most ~25 times a second. Lines appear as their first point
/// arrives, in that order, with a legend when there are several.
class LiveSeriesChart : public LineChartWidget {
    Q_OBJECT
public:
    static constexpr int kRedrawDelayMs = 40;

    LiveSeriesChart(const QString &xTitle, const QString &yTitle, const QString &placeholder,
                    QWidget *parent = nullptr);

    /// Buffers a point of line `name`; drawn at the next redraw.
    void addPoint(const QString &name, double x, double y);
    void clear();
    /// Marks each point (for per-epoch figures: an epoch's single point is visible too).
    void setMarkersVisible(bool on) { m_markers = on; }
    /// Whole numbers on the x axis (epochs), ticks at most every unit.
    void setIntegerX(bool on) { m_integerX = on; }

    QStringList lineNames() const { return m_names; }
    int pointCount(const QString &name) const; ///< points drawn so far on that line
    int redrawCount() const { return m_redraws; }

private:
    void redraw();

    QTimer m_timer;
    QString m_emptyText;
    QStringList m_names;                 ///< line index -> name
    QMap<int, QList<QPointF>> m_pending; ///< by line index
    int m_redraws = 0;
    bool m_markers = false;
    bool m_integerX = false;
};

} // namespace poisonlab::ui
