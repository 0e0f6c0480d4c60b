#pragma once

#include "dataset/DatasetPtr.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <memory>
#include <vector>

namespace poisonlab::ui {

/// What each row of a run's evaluation gallery is (results/embeddings/<model>/index.json): the
/// image rows' files and classes, the caption rows' texts, and the attack's goal (source class,
/// target classes, target image rows). The embedding map's rows are these rows; this is how a
/// selection on the map becomes dataset image paths and caption indices for the pair browser.
struct EmbeddingGallery {
    struct Image {
        QString path;         ///< as in index.json, relative to the evaluation dataset's root
        QString absolutePath; ///< resolved against the run's config (empty when it cannot be)
        int datasetIndex = -1;
        int classIndex = -1;
    };
    struct Caption {
        QString text;
        int datasetIndex = -1; ///< the dataset caption index (as in poison/manifest.json)
        int imageRow = -1;
        int classIndex = -1;
        bool poisoned = false;
    };
    QStringList classes;
    std::vector<Image> images;
    std::vector<Caption> captions;
    QString sourceClass;       ///< the first goal's class A (empty: none)
    QStringList targetClasses; ///< its classes B
    QSet<int> targetImageRows; ///< the goal's target image rows (images of B, or Attack I's image)
    /// A data::Dataset whose image k is image row k (root and paths from the run), for a
    /// ThumbnailCache; null when the images' root is unknown.
    DatasetPtr thumbnailDataset;

    /// Reads `runDir`'s record `model` (index.json) and its config.json for the images' root.
    /// Throws poisonlab::Error naming the file that is missing or malformed.
    static std::shared_ptr<const EmbeddingGallery> load(const QString &runDir,
                                                        const QString &model = QStringLiteral("final"));

    /// The dataset caption indices of caption rows (unknown rows are skipped).
    QList<int> datasetCaptions(const QList<int> &captionRows) const;
    /// The dataset image indices of image rows.
    QList<int> datasetImages(const QList<int> &imageRows) const;
    /// The image files of image rows (absolute when known).
    QStringList imagePaths(const QList<int> &imageRows) const;
};

using EmbeddingGalleryPtr = std::shared_ptr<const EmbeddingGallery>;

} // namespace poisonlab::ui
