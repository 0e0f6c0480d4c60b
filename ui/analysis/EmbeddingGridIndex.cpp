#include "analysis/EmbeddingGridIndex.h"

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

void EmbeddingGridIndex::build(const QVector<MapPoint> &points)
{
    const auto n = std::size_t(points.size());
    m_x.resize(n);
    m_y.resize(n);
    double minX = 0, minY = 0, maxX = 0, maxY = 0;
    for (std::size_t i = 0; i < n; ++i) {
        m_x[i] = points[qsizetype(i)].x;
        m_y[i] = points[qsizetype(i)].y;
        if (i == 0 || m_x[i] < minX)
            minX = m_x[i];
        if (i == 0 || m_x[i] > maxX)
            maxX = m_x[i];
        if (i == 0 || m_y[i] < minY)
            minY = m_y[i];
        if (i == 0 || m_y[i] > maxY)
            maxY = m_y[i];
    }
    m_bounds = QRectF(QPointF(minX, minY), QPointF(maxX, maxY));
    // Square cells so that the grid holds about n / kPointsPerCell of them.
    const double w = std::max(maxX - minX, 1e-9), h = std::max(maxY - minY, 1e-9);
    const double cells = std::max(1.0, double(n) / kPointsPerCell);
    m_cell = std::max(std::sqrt(w * h / cells), 1e-9);
    m_columns = std::clamp(int(w / m_cell) + 1, 1, 4096);
    m_rows = std::clamp(int(h / m_cell) + 1, 1, 4096);
    // (Clamped cells keep the mapping monotone: points beyond the last column share it.)

    // Counting sort of the points by cell.
    m_cellStart.assign(std::size_t(m_columns) * std::size_t(m_rows) + 1, 0);
    std::vector<int> cellOf(n);
    for (std::size_t i = 0; i < n; ++i) {
        cellOf[i] = cellY(m_y[i]) * m_columns + cellX(m_x[i]);
        ++m_cellStart[std::size_t(cellOf[i]) + 1];
    }
    for (std::size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_ids.resize(n);
    std::vector<int> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
        m_ids[std::size_t(fill[std::size_t(cellOf[i])]++)] = int(i);
}

int EmbeddingGridIndex::cellX(double x) const
{
    return std::clamp(int(std::floor((x - m_bounds.left()) / m_cell)), 0, m_columns - 1);
}

int EmbeddingGridIndex::cellY(double y) const
{
    return std::clamp(int(std::floor((y - m_bounds.top()) / m_cell)), 0, m_rows - 1);
}

int EmbeddingGridIndex::nearest(QPointF p, double radius, const Filter &accept) const
{
    if (isEmpty() || radius < 0)
        return -1;
    const QRectF reach(p.x() - radius, p.y() - radius, 2 * radius, 2 * radius);
    if (!reach.intersects(m_bounds.adjusted(-m_cell, -m_cell, m_cell, m_cell)))
        return -1;
    int best = -1;
    double bestD2 = radius * radius;
    for (int cy = cellY(reach.top()); cy <= cellY(reach.bottom()); ++cy)
        for (int cx = cellX(reach.left()); cx <= cellX(reach.right()); ++cx) {
            const std::size_t c = std::size_t(cy) * std::size_t(m_columns) + std::size_t(cx);
            for (int k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k) {
                const int id = m_ids[std::size_t(k)];
                const double dx = m_x[std::size_t(id)] - p.x(), dy = m_y[std::size_t(id)] - p.y();
                const double d2 = dx * dx + dy * dy;
                if ((d2 < bestD2 || (d2 == bestD2 && (best < 0 || id < best))) && (!accept || accept(id))) {
                    best = id;
                    bestD2 = d2;
                }
            }
        }
    return best;
}

QVector<int> EmbeddingGridIndex::inRect(const QRectF &rect, const Filter &accept) const
{
    QVector<int> out;
    const QRectF r = rect.normalized();
    if (isEmpty() || !r.intersects(m_bounds.adjusted(-m_cell, -m_cell, m_cell, m_cell)))
        return out;
    for (int cy = cellY(r.top()); cy <= cellY(r.bottom()); ++cy)
        for (int cx = cellX(r.left()); cx <= cellX(r.right()); ++cx) {
            const std::size_t c = std::size_t(cy) * std::size_t(m_columns) + std::size_t(cx);
            for (int k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k) {
                const int id = m_ids[std::size_t(k)];
                const double x = m_x[std::size_t(id)], y = m_y[std::size_t(id)];
                if (x >= r.left() && x <= r.right() && y >= r.top() && y <= r.bottom() && (!accept || accept(id)))
                    out.push_back(id);
            }
        }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace poisonlab::ui
