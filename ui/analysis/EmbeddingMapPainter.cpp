#include "analysis/EmbeddingMapPainter.h"

#include "analysis/EmbeddingDensityImage.h"

#include <QFontMetricsF>
#include <QHash>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

#include <cmath>

namespace poisonlab::ui {

namespace {

constexpr double kLegendSwatch = 10;
constexpr double kLegendPad = 6;

QPainterPath markerPath(MapModality modality, double radius)
{
    QPainterPath path;
    if (modality == MapModality::Image) {
        path.addEllipse(QPointF(0, 0), radius, radius);
    } else {
        const double r = radius * 1.25;
        path.moveTo(0, -r);
        path.lineTo(r * 0.95, r * 0.65);
        path.lineTo(-r * 0.95, r * 0.65);
        path.closeSubpath();
    }
    return path;
}

struct MarkerStyle {
    QColor fill;
    QColor outline; ///< invalid: none
    double radius;
};

void drawMarkerPath(QPainter &p, QPointF at, MapModality modality, const MarkerStyle &s)
{
    p.save();
    p.translate(at);
    p.setPen(s.outline.isValid() ? QPen(s.outline, 1.1) : Qt::NoPen);
    p.setBrush(s.fill.isValid() ? QBrush(s.fill) : Qt::NoBrush);
    p.drawPath(markerPath(modality, s.radius));
    p.restore();
}

// Screen markers are cached pixmaps: drawing one costs a blit, not an antialiased path.
void drawMarker(QPainter &p, QPointF at, MapModality modality, const MarkerStyle &s, bool vector)
{
    if (vector) {
        drawMarkerPath(p, at, modality, s);
        return;
    }
    static QHash<QString, QPixmap> sprites;
    const qreal dpr = p.device() ? p.device()->devicePixelRatioF() : 1.0;
    const QString key = QStringLiteral("%1/%2/%3/%4/%5")
                            .arg(s.fill.rgba())
                            .arg(s.outline.isValid() ? s.outline.rgba() : 0u)
                            .arg(int(modality))
                            .arg(s.radius)
                            .arg(dpr);
    auto it = sprites.find(key);
    const int side = int(std::ceil(s.radius * 2.8 + 4));
    if (it == sprites.end()) {
        if (sprites.size() > 512)
            sprites.clear();
        QPixmap pm(QSize(side, side) * dpr);
        pm.setDevicePixelRatio(dpr);
        pm.fill(Qt::transparent);
        QPainter sp(&pm);
        sp.setRenderHint(QPainter::Antialiasing);
        drawMarkerPath(sp, QPointF(side / 2.0, side / 2.0), modality, s);
        sp.end();
        it = sprites.insert(key, pm);
    }
    p.drawPixmap(QPointF(at.x() - side / 2.0, at.y() - side / 2.0), *it);
}

void paintFrame(QPainter &p, const QRectF &area, const QRectF &plot, const EmbeddingMapScene &scene,
                const QPalette &pal)
{
    p.fillRect(area, pal.color(QPalette::Base));
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(plot);
    p.setPen(pal.color(QPalette::Text));
    QFont bold = p.font();
    bold.setBold(true);
    p.save();
    p.setFont(bold);
    const QRectF titleRect(area.left(), area.top(), area.width(), plot.top() - area.top());
    p.drawText(titleRect, Qt::AlignCenter,
               QFontMetricsF(bold).elidedText(scene.title, Qt::ElideMiddle, area.width() - 8));
    p.restore();
    if (!scene.axisName.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(plot.left(), plot.bottom(), plot.width(), area.bottom() - plot.bottom()), Qt::AlignCenter,
                   scene.axisName + QStringLiteral(" 1"));
        p.save();
        p.translate(area.left() + (plot.left() - area.left()) / 2, plot.center().y());
        p.rotate(-90);
        p.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter,
                   scene.axisName + QStringLiteral(" 2"));
        p.restore();
    }
}

void paintLegend(QPainter &p, const QVector<MapGroup> &groups, const QRectF &plot, const QPalette &pal, bool vector)
{
    const QVector<QRectF> rects = EmbeddingMapPainter::legendRects(groups, plot, p.font());
    if (rects.isEmpty())
        return;
    QRectF box;
    for (const QRectF &r : rects)
        box = box.united(r);
    box.adjust(-kLegendPad, -kLegendPad, kLegendPad, kLegendPad);
    QColor back = pal.color(QPalette::Base);
    back.setAlpha(225);
    p.setPen(QPen(pal.color(QPalette::Mid), 1));
    p.setBrush(back);
    p.drawRoundedRect(box, 4, 4);
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const QRectF r = rects[i];
        const MapGroup &g = groups[i];
        QColor c = g.color;
        if (!g.visible)
            c.setAlpha(60);
        drawMarker(p, QPointF(r.left() + kLegendSwatch / 2, r.center().y()), MapModality::Image,
                   {c, QColor(), kLegendSwatch / 2 - 0.5}, vector);
        p.setPen(g.visible ? pal.color(QPalette::Text) : pal.color(QPalette::PlaceholderText));
        QFont f = p.font();
        f.setStrikeOut(!g.visible);
        p.save();
        p.setFont(f);
        p.drawText(r.adjusted(kLegendSwatch + 5, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter, g.name);
        p.restore();
    }
}

MarkerStyle styleOf(const MapPoint &pt, const QVector<MapGroup> &groups, const QPalette &pal)
{
    const QColor c = groups[pt.group].color;
    if (pt.highlighted)
        return {c, pal.color(QPalette::Text), EmbeddingMapPainter::kImageRadius * EmbeddingMapPainter::kHighlightScale};
    return {c, QColor(), EmbeddingMapPainter::kImageRadius};
}

} // namespace

QRectF EmbeddingMapPainter::plotRect(const QRectF &area, const QFont &font)
{
    const double line = QFontMetricsF(font).height();
    return area.adjusted(line * 1.6, line * 1.8, -8, -line * 1.6);
}

QVector<QRectF> EmbeddingMapPainter::legendRects(const QVector<MapGroup> &groups, const QRectF &plot, const QFont &font)
{
    QVector<QRectF> rects;
    if (groups.size() < 2)
        return rects;
    const QFontMetricsF fm(font);
    const double rowH = std::max(fm.height(), kLegendSwatch) + 2;
    double textW = 0;
    for (const MapGroup &g : groups)
        textW = std::max(textW, fm.horizontalAdvance(g.name));
    const double colW = kLegendSwatch + 5 + textW + 8;
    const int perColumn = std::max(1, int((plot.height() - 4 * kLegendPad) / rowH));
    const int columns = int((groups.size() + perColumn - 1) / perColumn);
    const int rows = int((groups.size() + columns - 1) / columns);
    const double right = plot.right() - kLegendPad - 4, top = plot.top() + kLegendPad + 4;
    const double left = right - columns * colW;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const int col = int(i / rows), row = int(i % rows);
        rects.push_back(QRectF(left + col * colW, top + row * rowH, colW, rowH));
    }
    return rects;
}

int EmbeddingMapPainter::visibleCount(const QVector<MapPoint> &points, const QVector<MapGroup> &groups,
                                      const EmbeddingMapViewport &viewport)
{
    const QRectF d = viewport.toData(viewport.plot);
    int n = 0;
    for (const MapPoint &p : points)
        if (groups[p.group].visible && p.x >= d.left() && p.x <= d.right() && p.y >= d.top() && p.y <= d.bottom())
            ++n;
    return n;
}

bool EmbeddingMapPainter::paint(QPainter &p, const QRectF &area, const EmbeddingMapScene &scene,
                                const EmbeddingMapViewport &viewport, const QPalette &pal, bool vector)
{
    const QRectF plot = viewport.plot;
    p.save();
    paintFrame(p, area, plot, scene, pal);
    const QVector<MapPoint> &points = *scene.points;
    const QVector<MapGroup> &groups = *scene.groups;
    if (points.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(plot.adjusted(20, 20, -20, -20), Qt::AlignCenter | Qt::TextWordWrap, scene.emptyText);
        p.restore();
        return false;
    }
    p.setClipRect(plot);
    const bool density = visibleCount(points, groups, viewport) > scene.pointThreshold;
    const bool hasSelection = scene.selected && !scene.selected->empty();
    auto inside = [&](QPointF at) { return plot.adjusted(-8, -8, 8, 8).contains(at); };
    if (density) {
        const QImage img = EmbeddingDensityImage::render(points, groups, viewport, 2);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(QRectF(plot.topLeft(), QSizeF(img.width() * 2.0, img.height() * 2.0)), img);
    } else {
        for (const MapPoint &pt : points) {
            if (!groups[pt.group].visible || pt.highlighted)
                continue;
            const QPointF at = viewport.toPixel(pt.x, pt.y);
            if (inside(at))
                drawMarker(p, at, pt.modality, styleOf(pt, groups, pal), vector);
        }
    }
    // Highlighted points (few: poisoned captions, target images) always stand out on top.
    for (const MapPoint &pt : points) {
        if (!pt.highlighted || !groups[pt.group].visible)
            continue;
        const QPointF at = viewport.toPixel(pt.x, pt.y);
        if (inside(at))
            drawMarker(p, at, pt.modality, styleOf(pt, groups, pal), vector);
    }
    if (hasSelection) {
        const MarkerStyle ring{QColor(), pal.color(QPalette::Highlight), kImageRadius * 1.9};
        for (qsizetype i = 0; i < points.size(); ++i) {
            const MapPoint &pt = points[i];
            if (!(*scene.selected)[std::size_t(i)] || !groups[pt.group].visible)
                continue;
            const QPointF at = viewport.toPixel(pt.x, pt.y);
            if (inside(at))
                drawMarker(p, at, pt.modality, ring, vector);
        }
    }
    if (scene.hovered >= 0 && scene.hovered < points.size()) {
        const MapPoint &pt = points[scene.hovered];
        drawMarker(p, viewport.toPixel(pt.x, pt.y), pt.modality,
                   {groups[pt.group].color, pal.color(QPalette::Text), kImageRadius * 2.2}, vector);
    }
    p.setClipping(false);
    paintLegend(p, groups, plot, pal, vector);
    p.restore();
    return density;
}

} // namespace poisonlab::ui
