#include "poisonlab/core/analysis/DistanceDensity.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/analysis/EmbeddingShift.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <numeric>

namespace poisonlab::analysis {

double silvermanBandwidth(const std::vector<double> &values)
{
    const std::size_t n = values.size();
    if (n < 2)
        return 1e-3;
    const double mean = std::accumulate(values.begin(), values.end(), 0.0) / double(n);
    double ss = 0;
    for (double v : values)
        ss += (v - mean) * (v - mean);
    const double sd = std::sqrt(ss / double(n - 1));
    const double iqr = (percentile(values, 75) - percentile(values, 25)) / 1.34;
    double spread = std::min(sd, iqr);
    if (spread <= 0)
        spread = std::max(sd, iqr);
    if (spread <= 0)
        return 1e-3;
    return 0.9 * spread * std::pow(double(n), -0.2);
}

std::vector<double> gaussianKde(const std::vector<double> &values, const std::vector<double> &grid, double bandwidth)
{
    if (!(bandwidth > 0))
        throw Error("a kernel density needs a positive bandwidth, got " + std::to_string(bandwidth));
    std::vector<double> out(grid.size(), 0.0);
    if (values.empty())
        return out;
    const double norm = 1.0 / (double(values.size()) * bandwidth * std::sqrt(2.0 * std::numbers::pi));
    for (std::size_t g = 0; g < grid.size(); ++g) {
        double sum = 0;
        for (double v : values) {
            const double z = (grid[g] - v) / bandwidth;
            sum += std::exp(-0.5 * z * z);
        }
        out[g] = sum * norm;
    }
    return out;
}

std::vector<double> linearGrid(double lo, double hi, int points)
{
    if (points < 2)
        throw Error("a grid needs at least 2 points, got " + std::to_string(points));
    std::vector<double> g(static_cast<std::size_t>(points));
    for (int i = 0; i < points; ++i)
        g[std::size_t(i)] = lo + (hi - lo) * double(i) / double(points - 1);
    return g;
}

nlohmann::json DensityEstimate::toJson() const
{
    nlohmann::json gs = nlohmann::json::object();
    for (const auto &[name, g] : groups)
        gs[name] = {{"count", g.count}, {"mean", g.mean}, {"density", g.density}};
    return {{"kernel", "gaussian"},
            {"bandwidth", bandwidth},
            {"bandwidth_rule", bandwidthRule},
            {"grid", grid},
            {"groups", gs}};
}

DensityEstimate estimateDensities(const std::map<std::string, std::vector<double>> &groups, double bandwidth,
                                  int gridPoints)
{
    std::vector<double> pooled;
    for (const auto &[name, v] : groups)
        pooled.insert(pooled.end(), v.begin(), v.end());
    DensityEstimate d;
    if (bandwidth > 0) {
        d.bandwidth = bandwidth;
        d.bandwidthRule = "given";
    } else {
        d.bandwidth = silvermanBandwidth(pooled);
        d.bandwidthRule = "silverman (pooled): 0.9 * min(sd, IQR/1.34) * n^(-1/5)";
    }
    double lo = 0, hi = 1;
    if (!pooled.empty()) {
        const auto [mn, mx] = std::minmax_element(pooled.begin(), pooled.end());
        lo = *mn - 3 * d.bandwidth;
        hi = *mx + 3 * d.bandwidth;
    }
    d.grid = linearGrid(lo, hi, gridPoints);
    for (const auto &[name, v] : groups) {
        DensityEstimate::Group g;
        g.count = std::int64_t(v.size());
        g.mean = v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
        g.density = gaussianKde(v, d.grid, d.bandwidth);
        d.groups[name] = std::move(g);
    }
    return d;
}

} // namespace poisonlab::analysis
