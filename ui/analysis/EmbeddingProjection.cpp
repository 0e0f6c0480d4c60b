#include "analysis/EmbeddingProjection.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

QVector<MapPoint> pointsOf(const json &entry, const QString &file)
{
    if (!entry.contains("points") || !entry["points"].is_array())
        throw Error(file.toStdString(), "has a model without \"points\"");
    QVector<MapPoint> out;
    out.reserve(qsizetype(entry["points"].size()));
    for (const json &p : entry["points"]) {
        MapPoint m;
        m.x = float(p.value("x", 0.0));
        m.y = float(p.value("y", 0.0));
        m.row = p.value("row", -1);
        m.modality = p.value("modality", std::string("image")) == "caption" ? MapModality::Caption : MapModality::Image;
        out.push_back(m);
    }
    return out;
}

QString noteOf(const json &entry)
{
    if (entry.contains("explained_ratio") && entry["explained_ratio"].is_array() &&
        entry["explained_ratio"].size() >= 2)
        return QObject::tr("PC1 %1%, PC2 %2% of the variance")
            .arg(entry["explained_ratio"][0].get<double>() * 100, 0, 'f', 1)
            .arg(entry["explained_ratio"][1].get<double>() * 100, 0, 'f', 1);
    if (entry.contains("run") && entry["run"].is_object()) {
        const json &r = entry["run"];
        const std::string method = r.value("method", std::string("exact"));
        QString note = QObject::tr("%1 t-SNE, KL %2")
                           .arg(method == "barnes_hut" ? QObject::tr("Barnes-Hut") : QString::fromStdString(method))
                           .arg(r.value("kl_divergence", 0.0), 0, 'f', 3);
        if (r.value("sampled", false))
            note += QObject::tr(", %1 of %2 points (seeded sample)")
                        .arg(r.value("kept_rows", 0))
                        .arg(r.value("input_rows", 0));
        return note;
    }
    return {};
}

} // namespace

EmbeddingProjection EmbeddingProjection::fromJson(const json &doc, const QString &file)
{
    if (!doc.is_object() || !doc.contains("models") || !doc["models"].is_object() || !doc.contains("model"))
        throw Error(file.toStdString(), "is not a projection (no \"model\" or \"models\")");
    EmbeddingProjection p;
    p.method = QString::fromStdString(doc.value("method", std::string()));
    const std::string model = doc["model"].get<std::string>();
    if (!doc["models"].contains(model))
        throw Error(file.toStdString(), "has no points of its model \"" + model + "\"");
    p.modelLabel = QString::fromStdString(model);
    p.model = pointsOf(doc["models"][model], file);
    p.modelNote = noteOf(doc["models"][model]);
    if (doc.contains("reference") && doc["reference"].is_string() &&
        doc["models"].contains(doc["reference"].get<std::string>())) {
        const std::string ref = doc["reference"].get<std::string>();
        p.referenceLabel = QString::fromStdString(ref);
        p.reference = pointsOf(doc["models"][ref], file);
        p.referenceNote = noteOf(doc["models"][ref]);
    }
    if (doc.contains("params") && doc["params"].is_object()) {
        const json &params = doc["params"];
        p.perplexity = params.value("perplexity", p.perplexity);
        p.iterations = params.value("iterations", p.iterations);
        p.maxPoints = params.value("max_points", p.maxPoints);
        p.seed = params.value("seed", p.seed);
        p.tsneMethod = QString::fromStdString(params.value("method", std::string("exact")));
    }
    return p;
}

} // namespace poisonlab::ui
