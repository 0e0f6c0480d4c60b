#pragma once

#include "analysis/EmbeddingMapData.h"

#include <QPointF>
#include <QRectF>
#include <QVector>

#include <functional>
#include <vector>

namespace poisonlab::ui {

/// A uniform grid over the points of a map (in data coordinates), for hover and rubber-band
/// selection without scanning every point: cells of about kPointsPerCell points on average,
/// stored as one sorted array of point ids with an offset per cell (CSR).
class EmbeddingGridIndex {
public:
    /// Which points count (e.g. those of visible groups).
    using Filter = std::function<bool(int point)>;

    void build(const QVector<MapPoint> &points);
    bool isEmpty() const { return m_x.empty(); }
    QRectF bounds() const { return m_bounds; }

    /// The nearest accepted point within `radius` of `p` (Euclidean, data units), or -1.
    /// Ties go to the lower point id.
    int nearest(QPointF p, double radius, const Filter &accept) const;
    /// Every accepted point inside `rect` (borders included), in increasing id order.
    QVector<int> inRect(const QRectF &rect, const Filter &accept) const;

    static constexpr int kPointsPerCell = 4;

private:
    int cellX(double x) const;
    int cellY(double y) const;

    std::vector<float> m_x, m_y;
    QRectF m_bounds;
    double m_cell = 1;
    int m_columns = 1, m_rows = 1;
    std::vector<int> m_cellStart; ///< m_columns * m_rows + 1 offsets into m_ids
    std::vector<int> m_ids;
};

} // namespace poisonlab::ui
