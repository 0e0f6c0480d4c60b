#include "poisonlab/core/analysis/EmbeddingShift.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace poisonlab::analysis {

double percentile(std::vector<double> values, double q)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const double pos = q / 100.0 * double(values.size() - 1);
    const auto lo = std::size_t(std::floor(pos));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

DistanceSummary summarizeValues(std::vector<double> values)
{
    DistanceSummary s;
    s.values = std::move(values);
    if (s.values.empty())
        return s;
    const double n = double(s.values.size());
    s.mean = std::accumulate(s.values.begin(), s.values.end(), 0.0) / n;
    std::vector<double> sorted = s.values;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t m = sorted.size();
    s.median = m % 2 ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2.0;
    s.p90 = percentile(sorted, 90);
    return s;
}

nlohmann::json DistanceSummary::toJson() const
{
    return {{"count", values.size()}, {"mean", mean}, {"median", median}, {"p90", p90}, {"values", values}};
}

std::vector<double> rowCosineDistances(const torch::Tensor &a, const torch::Tensor &b)
{
    if (a.dim() != 2 || b.dim() != 2 || a.sizes() != b.sizes())
        throw Error("cosine distances need two matrices of the same shape, got " + std::to_string(a.dim()) + "-d [" +
                    (a.dim() ? std::to_string(a.size(0)) : "") + "...] and " + std::to_string(b.dim()) + "-d [" +
                    (b.dim() ? std::to_string(b.size(0)) : "") + "...]");
    torch::NoGradGuard noGrad;
    const auto x = a.to(torch::kCPU, torch::kFloat64);
    const auto y = b.to(torch::kCPU, torch::kFloat64);
    const auto cos = (x * y).sum(1) / (x.norm(2, 1) * y.norm(2, 1)).clamp_min(1e-300);
    const auto d = (1.0 - cos).contiguous();
    return std::vector<double>(d.data_ptr<double>(), d.data_ptr<double>() + d.numel());
}

EmbeddingShift embeddingShift(const torch::Tensor &referenceImages, const torch::Tensor &referenceCaptions,
                              const torch::Tensor &images, const torch::Tensor &captions)
{
    EmbeddingShift s;
    s.images = summarizeValues(rowCosineDistances(referenceImages, images));
    s.captions = summarizeValues(rowCosineDistances(referenceCaptions, captions));
    return s;
}

} // namespace poisonlab::analysis
