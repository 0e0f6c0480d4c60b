#pragma once

#include "analysis/EmbeddingMapData.h"

#include <nlohmann/json_fwd.hpp>

#include <QMetaType>
#include <QString>

#include <memory>

namespace poisonlab::ui {

/// A projection document (results/analysis/projection_<method>.json, as `analyze` and
/// core's experiment::projectRun write it) read into map points: the run's model and, when the
/// document has one, its reference (the clean run's model).
struct EmbeddingProjection {
    QString method;         ///< "pca" or "tsne"
    QString modelLabel;     ///< e.g. "final"
    QString referenceLabel; ///< e.g. "demo-clean/final"; empty without a reference
    QVector<MapPoint> model;
    QVector<MapPoint> reference;
    QString modelNote; ///< one line on how it was made (explained variance, sample, KL)
    QString referenceNote;
    double perplexity = 30;
    int iterations = 1000;
    int maxPoints = 0;
    QString tsneMethod = QStringLiteral("auto"); ///< TsneOptions::method ("exact" for older documents)
    quint64 seed = 0;
    bool fromCache = false; ///< read from the run directory rather than computed now

    /// Throws poisonlab::Error (naming `file`) when the document lacks the model's points.
    static EmbeddingProjection fromJson(const nlohmann::json &document, const QString &file = {});
};

using EmbeddingProjectionPtr = std::shared_ptr<const EmbeddingProjection>;

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::EmbeddingProjectionPtr)
