#pragma once

#include <QColor>
#include <QString>
#include <QVector>

namespace poisonlab::ui {

/// What a point of the embedding map is: an image or a caption embedding.
enum class MapModality : quint8 { Image, Caption };

/// One point of an embedding map: where it lies in the projection, which row of the run's
/// evaluation gallery it is (images.npy / captions.npy), and which legend group colours it.
struct MapPoint {
    float x = 0;
    float y = 0;
    int row = -1; ///< row in images.npy (an image) or captions.npy (a caption)
    MapModality modality = MapModality::Image;
    int group = 0;            ///< index into the map's groups
    bool highlighted = false; ///< drawn as a marker on top even in the density overview (poisoned, targets)
};

/// A legend entry: a name, its colour and whether its points are shown (and hit by hover/selection).
struct MapGroup {
    QString name;
    QColor color;
    bool visible = true;
};

} // namespace poisonlab::ui
