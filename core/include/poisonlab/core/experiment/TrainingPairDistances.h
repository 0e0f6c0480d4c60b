#pragma once

#include "poisonlab/core/Progress.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// Which model scores a run's training pairs for the density view and the filter's threshold.
struct PairDistanceOptions {
    std::filesystem::path runDir;
    /// "final" (the run's model/final.safetensors), "initial" (the run's starting model, what the
    /// pre-training filter's default "initial" scores with) or a CLIP weights file carrying its
    /// tokenizer (e.g. the clean run's model/final.safetensors).
    std::string model = "final";
    /// Names the cache file (trainingPairDistancesFile); "final" for the run's own model.
    std::string label = "final";
    double bandwidth = 0; ///< KDE bandwidth; <= 0: Silverman's rule on both groups pooled
    int gridPoints = 200;
};

/// Every training pair's image-caption cosine distance under one model, with the poisoned flags:
/// enough to recompute the filter's precision, recall, F1 and ROC at any threshold
/// (defense/DetectionMetrics.h), and the clean and poisoned groups' densities.
struct TrainingPairDistances {
    std::string model;         ///< as asked ("final", "initial" or the weights' path)
    std::vector<int> captions; ///< caption ids of the run's training set, in trainingCaptions() order
    std::vector<float> distances;
    std::vector<char> poisoned;
    nlohmann::json density; ///< analysis::DensityEstimate::toJson() of the clean and poisoned groups

    /// The shape of results/analysis/distance_density.json ("model", "kernel", "bandwidth",
    /// "grid", "groups", "pairs") plus "pair_distances": {"caption":[...], "distance":[...],
    /// "poisoned":[...]} (row r = one training pair).
    nlohmann::json toJson() const;
    /// Reads that shape; throws poisonlab::Error naming `file` when "pair_distances" is missing
    /// or its lists differ in length.
    static TrainingPairDistances fromJson(const nlohmann::json &j, const std::filesystem::path &file);
};

/// Scores the run's training pairs (the training set rebuilt from config.json and
/// poison/manifest.json, the captions the pre-training filter is given) exactly as the filter
/// does: embeddings L2-normalised, distance 1 - cos in float64 then float32, a poisoned pair with
/// its new image. Reports progress per batch and stops with CancelledError when cancelled.
/// Throws poisonlab::Error naming what is missing (run, weights, manifest).
TrainingPairDistances computeTrainingPairDistances(const PairDistanceOptions &options, ProgressReporter &progress);

/// results/analysis/distance_density.json for label "final" (the file `analyze` writes, extended
/// with the per-pair distances), distance_density_<label>.json for any other label.
std::filesystem::path trainingPairDistancesFile(const std::filesystem::path &runDir, const std::string &label);

/// The cached distances of `options` when the cache file exists, was computed with the same
/// model and has the per-pair distances; otherwise computes them and writes the file atomically
/// (a cancelled computation writes nothing).
TrainingPairDistances loadOrComputeTrainingPairDistances(const PairDistanceOptions &options,
                                                         ProgressReporter &progress);

} // namespace poisonlab::experiment
