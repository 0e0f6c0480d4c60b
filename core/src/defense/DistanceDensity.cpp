#include "poisonlab/core/defense/DistanceDensity.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace poisonlab::defense {

using nlohmann::json;

namespace {

double quantile(std::vector<double> sorted, double q)
{
    const double position = q * double(sorted.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - double(below)) * (sorted[above] - sorted[below]);
}

} // namespace

double silvermanBandwidth(const std::vector<double> &values)
{
    const size_t n = values.size();
    if (n < 2)
        return 0.05;
    double mean = 0;
    for (double v : values)
        mean += v;
    mean /= double(n);
    double var = 0;
    for (double v : values)
        var += (v - mean) * (v - mean);
    const double sd = std::sqrt(var / double(n - 1));
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double iqr = quantile(sorted, 0.75) - quantile(sorted, 0.25);
    double spread = iqr > 0 ? std::min(sd, iqr / 1.34) : sd;
    if (!(spread > 0))
        return 0.05;
    return 0.9 * spread * std::pow(double(n), -0.2);
}

double gaussianKde(const std::vector<double> &values, double h, double x)
{
    if (values.empty())
        return 0.0;
    double sum = 0;
    for (double v : values) {
        const double u = (x - v) / h;
        sum += std::exp(-0.5 * u * u);
    }
    return sum / (double(values.size()) * h * std::sqrt(2.0 * std::numbers::pi));
}

json distanceDensity(const std::vector<float> &distances, const std::vector<char> &poisoned, const std::string &model,
                     int gridPoints)
{
    if (distances.size() != poisoned.size())
        throw Error("distance density: the distances and the poisoned flags differ in number");
    if (distances.empty())
        throw Error("distance density: there are no distances");
    gridPoints = std::max(gridPoints, 2);
    std::vector<double> all(distances.begin(), distances.end()), clean, dirty;
    for (size_t i = 0; i < distances.size(); ++i)
        (poisoned[i] ? dirty : clean).push_back(distances[i]);
    const double h = silvermanBandwidth(all);
    const auto [lo, hi] = std::minmax_element(all.begin(), all.end());
    const double start = *lo - 3 * h, stop = *hi + 3 * h;
    json grid = json::array();
    std::vector<double> xs;
    for (int i = 0; i < gridPoints; ++i) {
        xs.push_back(start + (stop - start) * double(i) / double(gridPoints - 1));
        grid.push_back(xs.back());
    }
    auto group = [&](const std::vector<double> &values) {
        json density = json::array();
        for (double x : xs)
            density.push_back(gaussianKde(values, h, x));
        double mean = 0;
        for (double v : values)
            mean += v;
        return json{{"count", values.size()},
                    {"mean", values.empty() ? json() : json(mean / double(values.size()))},
                    {"density", density}};
    };
    return {{"model", model}, {"kernel", "gaussian"},
            {"bandwidth", h}, {"bandwidth_rule", "silverman"},
            {"grid", grid},   {"groups", {{"clean", group(clean)}, {"poisoned", group(dirty)}}}};
}

} // namespace poisonlab::defense
