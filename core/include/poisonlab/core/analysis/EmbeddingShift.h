#pragma once

#include <nlohmann/json_fwd.hpp>
#include <torch/types.h>

#include <vector>

namespace poisonlab::analysis {

/// Mean, median and 90th percentile of a set of values, plus the values themselves (in row
/// order). Median of an even count: mean of the two middle values; p90: linear interpolation
/// between the order statistics at position 0.9 (n - 1), as numpy.percentile's default.
struct DistanceSummary {
    double mean = 0, median = 0, p90 = 0;
    std::vector<double> values;
    nlohmann::json toJson() const; ///< {"count","mean","median","p90","values":[...]}
};

DistanceSummary summarizeValues(std::vector<double> values);

/// Linear-interpolation percentile (q in [0, 100]) of unsorted values; 0 for none.
double percentile(std::vector<double> values, double q);

/// Cosine distance 1 - cos(a_i, b_i) of each row pair, computed in float64 (rows need not be
/// normalised). Throws poisonlab::Error when the shapes differ.
std::vector<double> rowCosineDistances(const torch::Tensor &a, const torch::Tensor &b);

/// How far a model moved each test sample: per image and per caption, the cosine distance between
/// the reference (e.g. clean) model's embedding and the other model's embedding of the same
/// input. The modality with the larger distances is the one the poison moved more.
struct EmbeddingShift {
    DistanceSummary images;
    DistanceSummary captions;
};

EmbeddingShift embeddingShift(const torch::Tensor &referenceImages, const torch::Tensor &referenceCaptions,
                              const torch::Tensor &images, const torch::Tensor &captions);

} // namespace poisonlab::analysis
