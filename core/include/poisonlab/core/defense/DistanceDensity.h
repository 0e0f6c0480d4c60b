#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poisonlab::defense {

/// Gaussian kernel density estimates of the clean and the poisoned pairs' distances on one
/// common grid, with one bandwidth (Silverman's rule of thumb on all distances together:
/// 0.9 * min(sd, IQR / 1.34) * n^(-1/5), sd with n - 1; the sd alone when the IQR is 0; 0.05 when
/// both are 0). The grid spans [min - 3h, max + 3h] in `gridPoints` steps. JSON (the shape of
/// results/analysis/distance_density.json):
///   {"model","kernel":"gaussian","bandwidth","bandwidth_rule":"silverman","grid":[...],
///    "groups":{"clean":{"count","mean","density":[...]},"poisoned":{...}}}
/// A group without pairs has count 0, mean null and an all-zero density.
nlohmann::json distanceDensity(const std::vector<float> &distances, const std::vector<char> &poisoned,
                               const std::string &model, int gridPoints = 200);

/// Silverman's bandwidth of `values` (as above).
double silvermanBandwidth(const std::vector<double> &values);

/// The Gaussian KDE of `values` with bandwidth `h` at `x`.
double gaussianKde(const std::vector<double> &values, double h, double x);

} // namespace poisonlab::defense
