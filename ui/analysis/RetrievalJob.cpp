#include "analysis/RetrievalJob.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/EvaluationRecord.h"

#include <algorithm>
#include <filesystem>

namespace poisonlab::ui {

namespace {

std::vector<experiment::ImageHit> imagesFor(const RetrievalQuery &q, const experiment::RetrievalGallery &g, bool first)
{
    if (q.kind == RetrievalQuery::Kind::Caption) {
        // The picked caption's own row of the metrics' matrix; on another run, the same text.
        const int row = first ? q.captionRow : g.captionRowOf(q.text);
        if (row >= 0)
            return g.topImagesForCaption(row, q.k);
    }
    return g.topImagesForText(q.text, q.k);
}

} // namespace

RetrievalAnswer answerRetrievalQuery(const RetrievalQuery &q)
{
    RetrievalAnswer a;
    a.kind = q.kind;
    a.images.resize(q.sides.size());
    a.captions.resize(q.sides.size());
    a.errors.resize(q.sides.size());
    for (std::size_t i = 0; i < q.sides.size(); ++i) {
        const auto &g = q.sides[i];
        if (!g)
            continue;
        try {
            if (q.kind == RetrievalQuery::Kind::Image) {
                const int row = g->imageRowOf(q.imagePath);
                if (row < 0)
                    throw Error(q.imagePath, "is not in " + g->runName() + "'s gallery");
                a.captions[i] = g->topCaptions(row, q.k);
            } else {
                a.images[i] = imagesFor(q, *g, i == 0);
            }
        } catch (const Error &e) {
            a.errors[i] = QString::fromStdString(e.what());
        }
    }
    return a;
}

QStringList retrievalModelsOf(const QString &runDir)
{
    namespace fs = std::filesystem;
    QStringList out = {"final", "initial"};
    QStringList epochs;
    std::error_code ec;
    const fs::path dir = eval::evaluationRecordDir(runDir.toStdString(), "final").parent_path();
    for (const auto &entry : fs::directory_iterator(dir, ec))
        if (entry.is_directory() && entry.path().filename().string().rfind("epoch-", 0) == 0)
            epochs << QString::fromStdString(entry.path().filename().string());
    std::sort(epochs.begin(), epochs.end(),
              [](const QString &a, const QString &b) { return a.mid(6).toInt() < b.mid(6).toInt(); });
    return out + epochs;
}

} // namespace poisonlab::ui
