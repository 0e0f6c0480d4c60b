#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace poisonlab::analysis::detail {

/// The repulsion of one point in Barnes-Hut t-SNE: Z_i = sum_j n_j q_j and the force
/// sum_j n_j q_j^2 (y_i - c_j) over the accepted cells j (unnormalised Student-t q = 1/(1+d^2)).
struct Repulsion {
    double sumQ = 0;
    double fx = 0, fy = 0;
};

/// A 2-D quadtree over a layout for Barnes-Hut t-SNE, as scikit-learn's _QuadTree: cells halve the
/// layout's bounding box, each holds its points' centre of mass and count, and a cell is used as a
/// summary when max_width^2 / d^2 < angle^2 (or it is a leaf). Unlike scikit-learn's it is built
/// from the points' Morton order and stored depth-first with skip links, so a traversal is one
/// forward loop over a flat array; chains of cells holding the same points are collapsed to the
/// deepest one (exact: same centre of mass, smaller width, so it is accepted whenever its parent
/// would be).
class TsneQuadTree {
public:
    /// y: n rows of (x, y), row-major.
    void build(const float *y, std::int64_t n);

    /// The repulsion on a point at (px, py). A leaf at the point's own position (within 1e-6 in
    /// each coordinate, as scikit-learn) is skipped: no self-interaction.
    Repulsion repulsion(float px, float py, float angleSquared) const;

    /// Point indices in the order of the tree's leaves (nearby points are adjacent): visiting
    /// queries in this order keeps the tree's hot cells in cache.
    const std::vector<std::int32_t> &order() const { return m_order; }

private:
    struct Cell {
        float cx, cy;       ///< centre of mass
        float widthSquared; ///< squared largest side of the cell
        float count;        ///< points in the cell
        std::int32_t skip;  ///< index of the next cell that is not inside this one; index + 1: a leaf
    };
    std::pair<double, double> buildRange(std::int64_t lo, std::int64_t hi, int level);

    std::vector<Cell> m_cells;
    std::vector<std::int32_t> m_order;
    std::vector<std::uint64_t> m_codes; ///< Morton code of m_order[k]
    std::vector<std::pair<std::uint64_t, std::int32_t>> m_sortBuffer;
    const float *m_y = nullptr;
    double m_rootWidthSquared = 0;
};

} // namespace poisonlab::analysis::detail
