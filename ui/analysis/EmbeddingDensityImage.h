#pragma once

#include "analysis/EmbeddingMapData.h"
#include "analysis/EmbeddingMapViewport.h"

#include <QImage>

namespace poisonlab::ui {

/// The overview of a crowded map: the visible points binned into cells of `binPixels` screen
/// pixels; each cell's colour is the mean of its points' group colours and its opacity grows
/// with the log of its count, so dense clusters read as solid and outliers stay visible. One
/// pass over the points plus one over the cells: cheap enough to redo every frame of a pan.
class EmbeddingDensityImage {
public:
    /// An image of the plot's size / binPixels, to be drawn smoothly scaled over viewport.plot.
    static QImage render(const QVector<MapPoint> &points, const QVector<MapGroup> &groups,
                         const EmbeddingMapViewport &viewport, int binPixels = 3);
};

} // namespace poisonlab::ui
