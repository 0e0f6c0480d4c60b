// The paper's pre-training defense: remove training pairs whose image and caption a clean model
// finds far apart (cosine distance at or above a threshold). PoisonLab knows which pairs were
// poisoned, so it also reports how well the distance detects them.
#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonValue.h"
#include "poisonlab/core/analysis/DistanceDensity.h"
#include "poisonlab/core/defense/DetectionMetrics.h"
#include "poisonlab/core/plugin/DefensePlugin.h"

#include <cmath>
#include <filesystem>
#include <map>

namespace {

using namespace poisonlab;
using namespace poisonlab::defense;
using nlohmann::json;

json number(double v)
{
    return std::isfinite(v) ? json(v) : json();
}

struct Threshold {
    std::string kind = "absolute"; ///< absolute | percentile | best-f1
    double value = 0.8;
};

/// The clean and poisoned distances' densities, shaped as results/analysis/distance_density.json.
json density(const std::vector<float> &scores, const std::vector<char> &poisoned, const std::string &model,
             int gridPoints)
{
    std::map<std::string, std::vector<double>> groups{{"clean", {}}, {"poisoned", {}}};
    for (size_t r = 0; r < scores.size(); ++r)
        groups[poisoned[r] ? "poisoned" : "clean"].push_back(scores[r]);
    json out = analysis::estimateDensities(groups, 0, gridPoints).toJson();
    out["model"] = model;
    return out;
}

class DistanceFilterDefense final : public DefensePlugin {
public:
    void validate(const json &options, const DefenseEnvironment &environment) const override
    {
        if (!options.is_object())
            fail("options must be a JSON object");
        const Threshold t = parseThreshold(options);
        if (t.kind == "best-f1" && !environment.poisoned)
            fail("the best-F1 threshold needs poisoned pairs to score against, and this experiment names no attack");
        if (options.contains("model")) {
            if (!options["model"].is_string() || options["model"].get<std::string>().empty())
                fail("option \"model\" must be \"initial\" or a path to CLIP weights");
            const std::string model = options["model"].get<std::string>();
            if (model != "initial" && !std::filesystem::is_regular_file(model))
                throw Error(model, metadata().id + ": the scoring model (option \"model\") does not exist");
        }
        if (options.contains("grid_points") &&
            (!isNonNegativeInteger(options["grid_points"]) || options["grid_points"].get<long long>() < 2))
            fail("option \"grid_points\" must be an integer >= 2");
    }

    FilterResult filter(const data::Dataset &dataset, const std::vector<int> &captions, const json &options,
                        const ScoringContext &context) const override
    {
        const Threshold rule = parseThreshold(options);
        if (!context.embedTexts || !context.embedImages)
            fail("needs a scoring model to embed the pairs");
        if (captions.empty())
            fail("there are no training pairs to score");
        // Embed each caption and each distinct image once.
        std::vector<std::string> texts;
        std::vector<int> images;
        std::map<int, size_t> imageRow;
        std::vector<char> poisoned;
        for (int c : captions) {
            const data::CaptionRecord &cap = dataset.captions.at(static_cast<size_t>(c));
            texts.push_back(cap.text);
            poisoned.push_back(cap.poisoned ? 1 : 0);
            if (imageRow.emplace(cap.image, images.size()).second)
                images.push_back(cap.image);
        }
        if (context.progress)
            context.progress->report({"defense", 0, 2, "embedding " + std::to_string(texts.size()) + " captions", {}});
        plugin::Embeddings textEmb = context.embedTexts(texts);
        if (context.progress)
            context.progress->report({"defense", 1, 2, "embedding " + std::to_string(images.size()) + " images", {}});
        plugin::Embeddings imageEmb = context.embedImages(dataset, images);
        if (textEmb.size() != texts.size() || imageEmb.size() != images.size())
            fail("the embedding callback returned the wrong number of rows");
        plugin::normaliseRows(textEmb);
        plugin::normaliseRows(imageEmb);

        FilterResult out;
        out.scores.resize(captions.size());
        for (size_t r = 0; r < captions.size(); ++r) {
            const auto &t = textEmb[r];
            const auto &im = imageEmb[imageRow[dataset.captions[captions[r]].image]];
            double dot = 0;
            for (size_t k = 0; k < t.size() && k < im.size(); ++k)
                dot += double(t[k]) * im[k];
            out.scores[r] = static_cast<float>(1.0 - dot);
        }

        double distance = rule.value;
        json given = rule.value;
        if (rule.kind == "percentile")
            distance = percentileThreshold(out.scores, rule.value);
        else if (rule.kind == "best-f1") {
            distance = bestF1Threshold(out.scores, poisoned).threshold;
            given = nullptr;
        }
        const DetectionCounts counts = countAt(out.scores, poisoned, distance);
        out.removed.resize(captions.size());
        for (size_t r = 0; r < captions.size(); ++r) {
            out.removed[r] = double(out.scores[r]) >= distance ? 1 : 0;
            if (!out.removed[r])
                out.kept.push_back(captions[r]);
        }
        const std::vector<RocPoint> roc = rocCurve(out.scores, poisoned);
        json rocJson = json::array();
        for (const auto &p : roc)
            rocJson.push_back({{"threshold", number(p.threshold)}, {"fpr", p.fpr}, {"tpr", p.tpr}});
        const long long removedClean = counts.falsePositives;
        const long long clean = counts.negatives();
        out.report = {
            {"defense", metadata().id},
            {"scoring_model", context.model},
            {"score", "cosine distance 1 - cos(image, caption); a pair is removed when its distance >= threshold"},
            {"threshold",
             {{"kind", rule.kind}, {"value", given}, {"distance", distance}, {"oracle", rule.kind == "best-f1"}}},
            {"counts",
             {{"pairs", counts.pairs},
              {"poisoned", counts.positives},
              {"removed", counts.flagged},
              {"removed_poisoned", counts.truePositives},
              {"removed_clean", removedClean},
              {"kept", counts.kept()}}},
            {"precision", number(counts.precision())},
            {"recall", number(counts.recall())},
            {"f1", number(counts.f1())},
            {"auc", number(rocAuc(roc))},
            {"removed_clean_share", clean > 0 ? json(double(removedClean) / double(clean)) : json()},
            {"surviving_poison_share",
             counts.positives > 0 ? json(1.0 - double(counts.truePositives) / double(counts.positives)) : json()},
            {"roc", rocJson},
            {"density",
             density(out.scores, poisoned, context.model, static_cast<int>(options.value("grid_points", 200)))}};
        return out;
    }

private:
    Threshold parseThreshold(const json &options) const
    {
        Threshold t;
        if (!options.contains("threshold"))
            return t;
        const json &j = options["threshold"];
        if (j.is_number()) { // shorthand for {"distance": d}
            t.value = j.get<double>();
        } else if (j.is_object() && j.size() == 1 && j.contains("distance") && j["distance"].is_number()) {
            t.value = j["distance"].get<double>();
        } else if (j.is_object() && j.size() == 1 && j.contains("percentile") && j["percentile"].is_number()) {
            t.kind = "percentile";
            t.value = j["percentile"].get<double>();
            if (!(t.value >= 0 && t.value <= 100))
                fail("option \"threshold.percentile\" must be in [0, 100], got " + j["percentile"].dump());
            return t;
        } else if (j.is_object() && j.size() == 1 && j.contains("best_f1")) {
            if (j["best_f1"] != true)
                fail("option \"threshold.best_f1\" must be true");
            t.kind = "best-f1";
            return t;
        } else {
            fail("option \"threshold\" must be {\"distance\": d}, {\"percentile\": p} or {\"best_f1\": true}, got " +
                 j.dump());
        }
        if (!(t.value >= 0 && t.value <= 2))
            fail("option \"threshold.distance\" must be a cosine distance in [0, 2], got " + std::to_string(t.value));
        return t;
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(DistanceFilterDefense)
