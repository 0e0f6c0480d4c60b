#include "analysis/EmbeddingMapColoring.h"

#include "style/StatusColors.h"

#include <QObject>

#include <cmath>

namespace poisonlab::ui {

namespace {

int classOf(const MapPoint &p, const EmbeddingGallery &g)
{
    if (p.modality == MapModality::Image)
        return p.row >= 0 && std::size_t(p.row) < g.images.size() ? g.images[std::size_t(p.row)].classIndex : -1;
    return p.row >= 0 && std::size_t(p.row) < g.captions.size() ? g.captions[std::size_t(p.row)].classIndex : -1;
}

bool poisonedCaption(const MapPoint &p, const EmbeddingGallery &g)
{
    return p.modality == MapModality::Caption && p.row >= 0 && std::size_t(p.row) < g.captions.size() &&
           g.captions[std::size_t(p.row)].poisoned;
}

QColor grey(const QPalette &pal, bool light)
{
    QColor c = StatusColors::isDark(pal) ? QColor(0x8a, 0x8f, 0x98) : QColor(0x9a, 0x9e, 0xa6);
    return light ? (StatusColors::isDark(pal) ? c.darker(140) : c.lighter(125)) : c;
}

QVector<MapGroup> poisonStatus(QVector<MapPoint> &points, const EmbeddingGallery &g, const QPalette &pal)
{
    const int a = g.classes.indexOf(g.sourceClass);
    QSet<int> b;
    for (const QString &t : g.targetClasses)
        b.insert(int(g.classes.indexOf(t)));
    const QString aName = g.sourceClass.isEmpty() ? QObject::tr("none") : g.sourceClass;
    const QString bName =
        g.targetClasses.isEmpty() ? QObject::tr("target image") : g.targetClasses.join(QLatin1String(", "));
    const QColor poison = StatusColors::poison(pal);
    QVector<MapGroup> groups = {{QObject::tr("Other images"), grey(pal, false), true},
                                {QObject::tr("Other captions"), grey(pal, true), true},
                                {QObject::tr("Target images (%1)").arg(bName), poison, true},
                                {QObject::tr("Target captions (%1)").arg(bName), QColor(0xf2, 0x9e, 0x8e), true},
                                {QObject::tr("Source captions (%1)").arg(aName), QColor(0x1f, 0x77, 0xb4), true},
                                {QObject::tr("Source images (%1)").arg(aName), QColor(0x9e, 0xc5, 0xe8), true},
                                {QObject::tr("Poisoned captions"), QColor(0xff, 0x7f, 0x0e), true}};
    bool anyPoisoned = false;
    for (MapPoint &p : points) {
        const int c = classOf(p, g);
        const bool image = p.modality == MapModality::Image;
        p.highlighted = false;
        if (poisonedCaption(p, g)) {
            p.group = 6;
            p.highlighted = anyPoisoned = true;
        } else if (image && g.targetImageRows.contains(p.row)) {
            p.group = 2;
            p.highlighted = true;
        } else if (!image && c >= 0 && b.contains(c)) {
            p.group = 3;
        } else if (!image && c >= 0 && c == a) {
            p.group = 4;
            p.highlighted = true;
        } else if (image && c >= 0 && c == a) {
            p.group = 5;
        } else {
            p.group = image ? 0 : 1;
        }
    }
    if (!anyPoisoned)
        groups.removeLast();
    return groups;
}

} // namespace

QColor EmbeddingMapColoring::categorical(int k)
{
    static const QRgb tableau20[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                                     0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                                     0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};
    if (k >= 0 && k < 20)
        return QColor::fromRgb(tableau20[k]);
    const double hue = std::fmod(k * 0.618033988749895, 1.0);
    return QColor::fromHsvF(float(hue), 0.65f, 0.85f);
}

QVector<MapGroup> EmbeddingMapColoring::apply(QVector<MapPoint> &points, MapColouring colouring,
                                              const EmbeddingGallery &g, const QPalette &pal)
{
    if (colouring == MapColouring::PoisonStatus)
        return poisonStatus(points, g, pal);
    QVector<MapGroup> groups;
    if (colouring == MapColouring::Modality) {
        groups = {{QObject::tr("Images"), QColor(0x1f, 0x77, 0xb4), true},
                  {QObject::tr("Captions"), QColor(0xff, 0x7f, 0x0e), true}};
        for (MapPoint &p : points) {
            p.group = p.modality == MapModality::Image ? 0 : 1;
            p.highlighted = poisonedCaption(p, g);
        }
        return groups;
    }
    for (qsizetype k = 0; k < g.classes.size(); ++k)
        groups.push_back({g.classes[k], categorical(int(k)), true});
    groups.push_back({QObject::tr("(no class)"), grey(pal, false), true});
    bool anyUnclassed = false;
    for (MapPoint &p : points) {
        const int c = classOf(p, g);
        p.group = c >= 0 ? c : int(g.classes.size());
        anyUnclassed = anyUnclassed || c < 0;
        p.highlighted =
            poisonedCaption(p, g) || (p.modality == MapModality::Image && g.targetImageRows.contains(p.row));
    }
    if (!anyUnclassed)
        groups.removeLast();
    return groups;
}

} // namespace poisonlab::ui
