#pragma once

#include <QPointF>
#include <QRectF>

namespace poisonlab::ui {

/// Where the map's data coordinates land on screen: `center` (data) at the middle of `plot`
/// (pixels), `scale` pixels per data unit on both axes (a projection has no preferred axis, so
/// the map keeps its aspect), y pointing up.
struct EmbeddingMapViewport {
    QRectF plot;
    QPointF center;
    double scale = 1;

    QPointF toPixel(double x, double y) const
    {
        return {plot.center().x() + (x - center.x()) * scale, plot.center().y() - (y - center.y()) * scale};
    }
    QPointF toData(QPointF pixel) const
    {
        return {center.x() + (pixel.x() - plot.center().x()) / scale,
                center.y() - (pixel.y() - plot.center().y()) / scale};
    }
    /// The data rectangle a pixel rectangle covers (normalised: top() is the smaller y).
    QRectF toData(const QRectF &pixels) const
    {
        return QRectF(toData(pixels.topLeft()), toData(pixels.bottomRight())).normalized();
    }
    /// Fits `bounds` (data) into the plot with a margin.
    static EmbeddingMapViewport fitting(const QRectF &bounds, const QRectF &plot, double margin = 0.06)
    {
        EmbeddingMapViewport v;
        v.plot = plot;
        v.center = bounds.center();
        const double w = qMax(bounds.width(), 1e-9), h = qMax(bounds.height(), 1e-9);
        v.scale = qMin(plot.width() / w, plot.height() / h) * (1 - 2 * margin);
        if (!(v.scale > 0))
            v.scale = 1;
        return v;
    }
};

} // namespace poisonlab::ui
