#pragma once

#include "poisonlab/core/experiment/RetrievalGallery.h"

#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <string>
#include <vector>

namespace poisonlab::ui {

using GalleryPtr = std::shared_ptr<const experiment::RetrievalGallery>;

/// Galleries a load job brought back, keyed "runDir\nmodel", and the model names each run offers.
struct RetrievalGalleries {
    std::vector<std::pair<QString, GalleryPtr>> loaded;
    std::vector<std::pair<QString, QStringList>> models; ///< run directory -> final, initial, epoch-N...
    std::vector<std::pair<QString, QString>> errors;     ///< key -> why that gallery could not be loaded
};

/// One query put to every side of the explorer (values only: it crosses to the job's thread).
struct RetrievalQuery {
    enum class Kind { Text, Caption, Image };
    Kind kind = Kind::Text;
    std::string text;      ///< Text and Caption: the caption (a Caption is found by text on the other side)
    int captionRow = -1;   ///< Caption: its row in the first side's gallery
    std::string imagePath; ///< Image: the dataset path, found on each side
    int k = 10;
    std::vector<GalleryPtr> sides;
};

/// Its answer, per side: the images (Text, Caption) or captions (Image), or why there are none.
struct RetrievalAnswer {
    RetrievalQuery::Kind kind = RetrievalQuery::Kind::Text;
    std::vector<std::vector<experiment::ImageHit>> images;
    std::vector<std::vector<experiment::CaptionHit>> captions;
    std::vector<QString> errors;
};

/// Runs `query` on each side (on the job's thread); core's errors become the side's message.
RetrievalAnswer answerRetrievalQuery(const RetrievalQuery &query);

/// Model names of a run: final, initial, then each epoch-N it has a record of (file reads: call
/// it on a job's thread).
QStringList retrievalModelsOf(const QString &runDir);

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(std::shared_ptr<poisonlab::ui::RetrievalGalleries>)
Q_DECLARE_METATYPE(std::shared_ptr<poisonlab::ui::RetrievalAnswer>)
