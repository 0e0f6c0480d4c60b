#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace poisonlab::analysis {

/// Silverman's rule of thumb for a Gaussian kernel: h = 0.9 * min(sd, IQR / 1.34) * n^(-1/5),
/// sd with n - 1, IQR from linear-interpolation percentiles. When one of sd and IQR/1.34 is 0
/// the other is used; when both are (all values equal, or fewer than two) h = 1e-3.
double silvermanBandwidth(const std::vector<double> &values);

/// f(x) = 1 / (n h) * sum_i phi((x - x_i) / h) at each grid point (phi: the standard normal
/// density); integrates to 1 over the real line. Empty values give zeros.
std::vector<double> gaussianKde(const std::vector<double> &values, const std::vector<double> &grid, double bandwidth);

/// `points` evenly spaced values from lo to hi inclusive (points >= 2).
std::vector<double> linearGrid(double lo, double hi, int points);

/// Densities of several groups of values (e.g. clean and poisoned image-caption distances) on
/// one grid with one bandwidth, so the curves compare directly.
struct DensityEstimate {
    double bandwidth = 0;
    std::string bandwidthRule; ///< "silverman (pooled)" or "given"
    std::vector<double> grid;
    struct Group {
        std::int64_t count = 0;
        double mean = 0;
        std::vector<double> density;
    };
    std::map<std::string, Group> groups;
    /// {"kernel":"gaussian","bandwidth","bandwidth_rule","grid":[...],
    ///  "groups":{"<name>":{"count","mean","density":[...]}}}
    nlohmann::json toJson() const;
};

/// bandwidth <= 0: Silverman's rule on all groups' values pooled. The grid runs from the
/// smallest value - 3h to the largest + 3h (gridPoints points); a group without values gets
/// count 0 and a zero density.
DensityEstimate estimateDensities(const std::map<std::string, std::vector<double>> &groups, double bandwidth = 0,
                                  int gridPoints = 200);

} // namespace poisonlab::analysis
