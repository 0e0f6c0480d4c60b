#include "poisonlab/core/experiment/TrainingPairDistances.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/analysis/DistanceDensity.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include "ModelEmbedding.h"
#include "RunAnalysisInputs.h"
#include "StartingModel.h"

#include <map>

namespace poisonlab::experiment {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct ScoringModel {
    clip::ClipModel model{nullptr};
    std::shared_ptr<clip::Tokenizer> tokenizer;
};

ScoringModel scoringModel(const RunDirectory &run, const ExperimentConfig &config, const std::string &model)
{
    if (model == "initial") {
        StartingModel start = loadStartingModel(config);
        return {start.model, start.tokenizer};
    }
    const fs::path weights = model == "final" ? run.path() / "model" / "final.safetensors" : fs::path(model);
    if (!fs::is_regular_file(weights))
        throw Error(weights, model == "final" ? "is missing; the run's training has not finished"
                                              : "does not exist (the model that scores the training pairs)");
    clip::LoadedClip loaded = clip::loadClip(weights);
    if (!loaded.tokenizer)
        throw Error(weights, "carries no tokenizer to read the training captions");
    return {loaded.model, loaded.tokenizer};
}

} // namespace

json TrainingPairDistances::toJson() const
{
    json out = density;
    out["model"] = model;
    std::vector<bool> flags(poisoned.begin(), poisoned.end());
    out["pair_distances"] = {{"caption", captions}, {"distance", distances}, {"poisoned", flags}};
    return out;
}

TrainingPairDistances TrainingPairDistances::fromJson(const json &j, const fs::path &file)
{
    if (!j.is_object() || !j.contains("pair_distances") || !j["pair_distances"].is_object())
        throw Error(file, "has no \"pair_distances\" (the per-pair distances)");
    const json &p = j["pair_distances"];
    TrainingPairDistances out;
    try {
        out.model = j.value("model", std::string());
        out.captions = p.at("caption").get<std::vector<int>>();
        out.distances = p.at("distance").get<std::vector<float>>();
        for (bool b : p.at("poisoned").get<std::vector<bool>>())
            out.poisoned.push_back(b ? 1 : 0);
    } catch (const json::exception &e) {
        throw Error(file, std::string("\"pair_distances\" cannot be read: ") + e.what());
    }
    if (out.captions.size() != out.distances.size() || out.poisoned.size() != out.distances.size())
        throw Error(file, "\"pair_distances\" lists differ in length");
    out.density = j;
    out.density.erase("pair_distances");
    return out;
}

TrainingPairDistances computeTrainingPairDistances(const PairDistanceOptions &o, ProgressReporter &progress)
{
    const RunDirectory run = RunDirectory::open(o.runDir);
    const ExperimentConfig config = ExperimentConfig::fromJson(run.config(), run.configPath());
    progress.report({"distances", 0, 3, "reading the training set", {}});
    const std::shared_ptr<data::Dataset> ds = runTrainingSet(run, config, progress);
    progress.throwIfCancelled();
    progress.report({"distances", 0, 3, "loading the model", {}});
    const ScoringModel scorer = scoringModel(run, config, o.model);

    TrainingPairDistances out;
    out.model = o.model;
    out.captions = trainingCaptions(*ds, config.trainSplit);
    if (out.captions.empty())
        throw Error(run.configPath(), "has no training pairs in split \"" + config.trainSplit + "\"");
    // Each caption and each distinct image embedded once, as the filter does.
    std::vector<std::string> texts;
    std::vector<int> images;
    std::map<int, std::size_t> imageRow;
    for (int c : out.captions) {
        const data::CaptionRecord &cap = ds->captions.at(std::size_t(c));
        texts.push_back(cap.text);
        out.poisoned.push_back(cap.poisoned ? 1 : 0);
        if (imageRow.emplace(cap.image, images.size()).second)
            images.push_back(cap.image);
    }
    progress.report({"distances", 1, 3, "embedding " + std::to_string(texts.size()) + " captions", {}});
    plugin::Embeddings textEmb = textEmbedder(scorer.model, scorer.tokenizer, &progress)(texts);
    progress.report({"distances", 2, 3, "embedding " + std::to_string(images.size()) + " images", {}});
    plugin::Embeddings imageEmb = imageEmbedder(scorer.model, &progress)(*ds, images);
    plugin::normaliseRows(textEmb);
    plugin::normaliseRows(imageEmb);
    out.distances.resize(out.captions.size());
    std::map<std::string, std::vector<double>> groups{{"clean", {}}, {"poisoned", {}}};
    for (std::size_t r = 0; r < out.captions.size(); ++r) {
        const auto &t = textEmb[r];
        const auto &im = imageEmb[imageRow[ds->captions[std::size_t(out.captions[r])].image]];
        double dot = 0;
        for (std::size_t k = 0; k < t.size() && k < im.size(); ++k)
            dot += double(t[k]) * im[k];
        out.distances[r] = static_cast<float>(1.0 - dot);
        groups[out.poisoned[r] ? "poisoned" : "clean"].push_back(out.distances[r]);
    }
    out.density = analysis::estimateDensities(groups, o.bandwidth, o.gridPoints).toJson();
    out.density["pairs"] = "training pairs (" + config.trainSplit + " split), 1 - cos(image, caption)";
    progress.report({"distances", 3, 3, "done", {}});
    return out;
}

fs::path trainingPairDistancesFile(const fs::path &runDir, const std::string &label)
{
    const fs::path dir = runDir / "results" / "analysis";
    return label == "final" || label.empty() ? dir / "distance_density.json"
                                             : dir / ("distance_density_" + label + ".json");
}

TrainingPairDistances loadOrComputeTrainingPairDistances(const PairDistanceOptions &o, ProgressReporter &progress)
{
    const fs::path file = trainingPairDistancesFile(o.runDir, o.label);
    if (fs::is_regular_file(file)) {
        try {
            const json j = readJsonFile(file);
            if (j.value("model", std::string()) == o.model && j.contains("pair_distances"))
                return TrainingPairDistances::fromJson(j, file);
        } catch (const Error &) {
            // An unreadable or older cache is recomputed below.
        }
    }
    TrainingPairDistances out = computeTrainingPairDistances(o, progress);
    progress.throwIfCancelled();
    writeJsonAtomically(file, out.toJson(), -1);
    return out;
}

} // namespace poisonlab::experiment
