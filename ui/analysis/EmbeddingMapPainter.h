#pragma once

#include "analysis/EmbeddingMapData.h"
#include "analysis/EmbeddingMapViewport.h"

#include <QFont>
#include <QPalette>
#include <QRectF>
#include <QVector>

#include <vector>

class QPainter;

namespace poisonlab::ui {

/// What one embedding map shows (all borrowed from the view for one paint).
struct EmbeddingMapScene {
    const QVector<MapPoint> *points = nullptr;
    const QVector<MapGroup> *groups = nullptr;
    const std::vector<char> *selected = nullptr; ///< per point, or null
    int hovered = -1;
    /// At most this many visible points are drawn one by one; more get the density image.
    int pointThreshold = 4000;
    QString title;
    QString axisName;  ///< "t-SNE", "PC": axes read "<name> 1" / "<name> 2"
    QString emptyText; ///< shown when there are no points
};

/// Draws an embedding map (frame, title, points or density, selection, legend) on any QPainter:
/// the widget on screen and PNG/SVG exports share it. Markers: images ●, captions ▲;
/// highlighted points larger with an outline, selected ones ringed in the palette's highlight.
class EmbeddingMapPainter {
public:
    /// The plot inside `area` (room for the title and axis names).
    static QRectF plotRect(const QRectF &area, const QFont &font);
    /// The legend's entries (one per group, in group order) over `plot`, top right.
    static QVector<QRectF> legendRects(const QVector<MapGroup> &groups, const QRectF &plot, const QFont &font);
    /// Points of visible groups inside the viewport's plot.
    static int visibleCount(const QVector<MapPoint> &points, const QVector<MapGroup> &groups,
                            const EmbeddingMapViewport &viewport);
    /// Paints; returns whether the density image was used. `vector`: paths instead of cached
    /// sprites (SVG).
    static bool paint(QPainter &painter, const QRectF &area, const EmbeddingMapScene &scene,
                      const EmbeddingMapViewport &viewport, const QPalette &palette, bool vector);

    static constexpr double kImageRadius = 3.2;
    static constexpr double kHighlightScale = 1.6;
};

} // namespace poisonlab::ui
