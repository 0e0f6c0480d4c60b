#pragma once

#include "analysis/EmbeddingGallery.h"
#include "analysis/EmbeddingMapData.h"

#include <QPalette>

namespace poisonlab::ui {

/// How the map's points are grouped and coloured.
enum class MapColouring { PoisonStatus, Class, Modality };

/// Assigns each point its legend group (and whether it is highlighted) for a colouring:
/// - PoisonStatus: the attack's target images (class B) and source captions (class A) in the
///   poison colour family, highlighted; the rest of A and B in softer tones; everything else grey;
///   poisoned captions (a training gallery) highlighted too.
/// - Class: one distinct colour per class (the target images still highlighted).
/// - Modality: images and captions.
class EmbeddingMapColoring {
public:
    static QVector<MapGroup> apply(QVector<MapPoint> &points, MapColouring colouring, const EmbeddingGallery &gallery,
                                   const QPalette &palette);
    /// The k-th of a set of distinct colours (Tableau 20, then golden-angle hues).
    static QColor categorical(int k);
};

} // namespace poisonlab::ui
