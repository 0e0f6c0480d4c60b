#include "analysis/TsneQuadTree.h"

#include <algorithm>
#include <cmath>

namespace poisonlab::analysis::detail {

namespace {

constexpr int kLevels = 32; ///< bits per coordinate in a Morton code

/// The bits of v spread to the even positions of a 64-bit word.
std::uint64_t spreadBits(std::uint32_t v)
{
    std::uint64_t x = v;
    x = (x | (x << 16)) & 0x0000FFFF0000FFFFull;
    x = (x | (x << 8)) & 0x00FF00FF00FF00FFull;
    x = (x | (x << 4)) & 0x0F0F0F0F0F0F0F0Full;
    x = (x | (x << 2)) & 0x3333333333333333ull;
    x = (x | (x << 1)) & 0x5555555555555555ull;
    return x;
}

std::uint32_t quantise(float v, double lo, double scale)
{
    const double q = (double(v) - lo) * scale;
    return q <= 0 ? 0u : q >= 4294967295.0 ? 4294967295u : std::uint32_t(q);
}

int quadrant(std::uint64_t code, int level)
{
    return int((code >> (2 * (kLevels - 1 - level))) & 3u);
}

} // namespace

void TsneQuadTree::build(const float *y, std::int64_t n)
{
    m_y = y;
    m_cells.clear();
    m_order.resize(std::size_t(n));
    m_codes.resize(std::size_t(n));
    if (n == 0)
        return;
    float minX = y[0], maxX = y[0], minY = y[1], maxY = y[1];
    for (std::int64_t i = 1; i < n; ++i) {
        minX = std::min(minX, y[2 * i]), maxX = std::max(maxX, y[2 * i]);
        minY = std::min(minY, y[2 * i + 1]), maxY = std::max(maxY, y[2 * i + 1]);
    }
    const double rangeX = double(maxX) - minX, rangeY = double(maxY) - minY;
    const double scaleX = rangeX > 0 ? 4294967295.0 / rangeX : 0, scaleY = rangeY > 0 ? 4294967295.0 / rangeY : 0;
    m_rootWidthSquared = std::max(rangeX, rangeY) * std::max(rangeX, rangeY);
    m_sortBuffer.resize(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i)
        m_sortBuffer[std::size_t(i)] = {(spreadBits(quantise(y[2 * i], minX, scaleX)) << 1) |
                                            spreadBits(quantise(y[2 * i + 1], minY, scaleY)),
                                        std::int32_t(i)};
    std::sort(m_sortBuffer.begin(), m_sortBuffer.end());
    for (std::size_t k = 0; k < m_sortBuffer.size(); ++k) {
        m_codes[k] = m_sortBuffer[k].first;
        m_order[k] = m_sortBuffer[k].second;
    }
    m_cells.reserve(std::size_t(2 * n));
    buildRange(0, n, 0);
}

// Emits the smallest cell holding the (Morton-sorted) points [lo, hi), then its children;
// returns the sums of the points' coordinates.
std::pair<double, double> TsneQuadTree::buildRange(std::int64_t lo, std::int64_t hi, int level)
{
    while (hi - lo > 1 && level < kLevels &&
           quadrant(m_codes[std::size_t(lo)], level) == quadrant(m_codes[std::size_t(hi - 1)], level))
        ++level;
    const auto index = m_cells.size();
    m_cells.push_back({});
    double sx = 0, sy = 0;
    if (hi - lo == 1 || level == kLevels) { // a leaf: one point, or points at one position
        for (std::int64_t k = lo; k < hi; ++k) {
            sx += m_y[2 * m_order[std::size_t(k)]];
            sy += m_y[2 * m_order[std::size_t(k)] + 1];
        }
    } else {
        std::int64_t begin = lo;
        while (begin < hi) {
            const int q = quadrant(m_codes[std::size_t(begin)], level);
            std::int64_t end = begin + 1;
            while (end < hi && quadrant(m_codes[std::size_t(end)], level) == q)
                ++end;
            const auto [cx, cy] = buildRange(begin, end, level + 1);
            sx += cx;
            sy += cy;
            begin = end;
        }
    }
    const double count = double(hi - lo);
    m_cells[index] = {float(sx / count), float(sy / count), float(m_rootWidthSquared / std::ldexp(1.0, 2 * level)),
                      float(count), std::int32_t(m_cells.size())};
    return {sx, sy};
}

Repulsion TsneQuadTree::repulsion(float px, float py, float angleSquared) const
{
    Repulsion r;
    const std::int32_t end = std::int32_t(m_cells.size());
    std::int32_t i = 0;
    while (i < end) {
        const Cell &c = m_cells[std::size_t(i)];
        const float dx = px - c.cx, dy = py - c.cy;
        const float d2 = dx * dx + dy * dy;
        const bool leaf = c.skip == i + 1;
        if (leaf && std::fabs(dx) <= 1e-6f && std::fabs(dy) <= 1e-6f) {
            i = c.skip; // the point itself
            continue;
        }
        if (leaf || c.widthSquared < angleSquared * d2) {
            const float q = 1.0f / (1.0f + d2);
            const float nq = c.count * q;
            r.sumQ += nq;
            r.fx += nq * q * dx;
            r.fy += nq * q * dy;
            i = c.skip;
        } else {
            ++i;
        }
    }
    return r;
}

} // namespace poisonlab::analysis::detail
