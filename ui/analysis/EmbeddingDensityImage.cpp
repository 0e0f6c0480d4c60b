#include "analysis/EmbeddingDensityImage.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace poisonlab::ui {

QImage EmbeddingDensityImage::render(const QVector<MapPoint> &points, const QVector<MapGroup> &groups,
                                     const EmbeddingMapViewport &viewport, int binPixels)
{
    binPixels = std::max(1, binPixels);
    const int w = std::max(1, int(std::ceil(viewport.plot.width() / binPixels)));
    const int h = std::max(1, int(std::ceil(viewport.plot.height() / binPixels)));
    std::vector<float> r(std::size_t(w) * std::size_t(h)), g(r.size()), b(r.size()), count(r.size());
    std::vector<float> gr(std::size_t(groups.size())), gg(gr.size()), gb(gr.size());
    std::vector<char> shown(gr.size());
    for (qsizetype k = 0; k < groups.size(); ++k) {
        gr[std::size_t(k)] = float(groups[k].color.redF());
        gg[std::size_t(k)] = float(groups[k].color.greenF());
        gb[std::size_t(k)] = float(groups[k].color.blueF());
        shown[std::size_t(k)] = groups[k].visible;
    }
    // Inlined viewport.toPixel(), relative to the plot's corner, in bins.
    const double sx = viewport.scale / binPixels;
    const double ox = (viewport.plot.width() / 2 - viewport.center.x() * viewport.scale) / binPixels;
    const double oy = (viewport.plot.height() / 2 + viewport.center.y() * viewport.scale) / binPixels;
    float maxCount = 0;
    for (const MapPoint &p : points) {
        const auto grp = std::size_t(p.group);
        if (grp >= shown.size() || !shown[grp])
            continue;
        const double bx = ox + p.x * sx, by = oy - p.y * sx;
        if (bx < 0 || by < 0 || bx >= w || by >= h)
            continue;
        const std::size_t c = std::size_t(by) * std::size_t(w) + std::size_t(bx);
        r[c] += gr[grp];
        g[c] += gg[grp];
        b[c] += gb[grp];
        maxCount = std::max(maxCount, count[c] += 1);
    }
    QImage image(w, h, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    if (maxCount <= 0)
        return image;
    const float logMax = std::log1p(maxCount);
    for (int y = 0; y < h; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < w; ++x) {
            const std::size_t c = std::size_t(y) * std::size_t(w) + std::size_t(x);
            if (count[c] <= 0)
                continue;
            // A single point is already clearly visible; the busiest cell is opaque.
            const float alpha = 0.45f + 0.55f * std::log1p(count[c]) / std::max(logMax, 1e-6f);
            const float k = alpha / count[c] * 255.f;
            line[x] = qRgba(int(r[c] * k), int(g[c] * k), int(b[c] * k), int(alpha * 255.f));
        }
    }
    return image;
}

} // namespace poisonlab::ui
