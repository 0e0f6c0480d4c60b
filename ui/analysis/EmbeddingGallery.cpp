#include "analysis/EmbeddingGallery.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/EvaluationRecord.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace poisonlab::ui {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

QString str(const json &j, const char *key)
{
    return j.contains(key) && j[key].is_string() ? QString::fromStdString(j[key].get<std::string>()) : QString();
}

int intOr(const json &j, const char *key, int fallback = -1)
{
    return j.contains(key) && j[key].is_number_integer() ? j[key].get<int>() : fallback;
}

// The evaluation dataset's root from the run's config.json ("evaluation.dataset" names one of
// "datasets"); empty when the config does not say.
fs::path evaluationRoot(const fs::path &runDir)
{
    const fs::path configFile = runDir / "config.json";
    if (!fs::is_regular_file(configFile))
        return {};
    const json config = readJsonFile(configFile);
    const json eval = config.value("evaluation", json::object());
    const std::string name = eval.value("dataset", std::string());
    const json datasets = config.value("datasets", json::object());
    if (name.empty() || !datasets.contains(name) || !datasets[name].contains("root"))
        return {};
    fs::path root = datasets[name]["root"].get<std::string>();
    return root.is_relative() ? runDir / root : root;
}

void readGoal(EmbeddingGallery &g, const json &index)
{
    if (!index.contains("goals") || !index["goals"].is_array() || index["goals"].empty())
        return;
    const json &goal = index["goals"][0];
    g.sourceClass = str(goal, "source");
    for (const json &t : goal.value("targets", json::array()))
        if (t.is_string())
            g.targetClasses << QString::fromStdString(t.get<std::string>());
    for (const json &r : goal.value("target_rows", json::array()))
        if (r.is_number_integer())
            g.targetImageRows.insert(r.get<int>());
    const int single = intOr(goal, "target_image_row");
    if (single >= 0)
        g.targetImageRows.insert(single);
}

} // namespace

std::shared_ptr<const EmbeddingGallery> EmbeddingGallery::load(const QString &runDir, const QString &model)
{
    const fs::path dir = eval::evaluationRecordDir(fs::path(runDir.toStdString()), model.toStdString());
    const fs::path indexFile = dir / "index.json";
    if (!fs::is_regular_file(indexFile))
        throw Error(indexFile, "is missing: the run has no evaluation record of its " + model.toStdString() + " model");
    const json index = readJsonFile(indexFile);
    if (!index.contains("images") || !index.contains("captions") || !index.contains("classes"))
        throw Error(indexFile, "lacks images, captions or classes");
    auto g = std::make_shared<EmbeddingGallery>();
    for (const json &c : index["classes"])
        g->classes << QString::fromStdString(c.get<std::string>());
    auto classOf = [&](const json &j) { return g->classes.indexOf(str(j, "class")); };

    const fs::path root = evaluationRoot(fs::path(runDir.toStdString()));
    auto ds = std::make_shared<data::Dataset>();
    ds->root = root;
    for (const json &im : index["images"]) {
        Image image{str(im, "path"), QString(), intOr(im, "image"), classOf(im)};
        if (!root.empty())
            image.absolutePath = QString::fromStdString((root / image.path.toStdString()).string());
        data::ImageRecord rec;
        rec.path = image.path.toStdString();
        rec.label = image.classIndex;
        ds->images.push_back(std::move(rec));
        g->images.push_back(std::move(image));
    }
    for (const json &c : index["captions"])
        g->captions.push_back(
            {str(c, "text"), intOr(c, "caption"), intOr(c, "image_row"), classOf(c), c.value("poisoned", false)});
    readGoal(*g, index);
    if (!root.empty())
        g->thumbnailDataset = ds;
    return g;
}

QList<int> EmbeddingGallery::datasetCaptions(const QList<int> &captionRows) const
{
    QList<int> out;
    for (int r : captionRows)
        if (r >= 0 && std::size_t(r) < captions.size())
            out << captions[std::size_t(r)].datasetIndex;
    return out;
}

QList<int> EmbeddingGallery::datasetImages(const QList<int> &imageRows) const
{
    QList<int> out;
    for (int r : imageRows)
        if (r >= 0 && std::size_t(r) < images.size())
            out << images[std::size_t(r)].datasetIndex;
    return out;
}

QStringList EmbeddingGallery::imagePaths(const QList<int> &imageRows) const
{
    QStringList out;
    for (int r : imageRows)
        if (r >= 0 && std::size_t(r) < images.size())
            out << (images[std::size_t(r)].absolutePath.isEmpty() ? images[std::size_t(r)].path
                                                                  : images[std::size_t(r)].absolutePath);
    return out;
}

} // namespace poisonlab::ui
