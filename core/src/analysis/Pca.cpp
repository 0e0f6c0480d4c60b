#include "poisonlab/core/analysis/Pca.h"

#include "poisonlab/core/Error.h"

#include <torch/torch.h>

#include <algorithm>

namespace poisonlab::analysis {

PcaResult pca(const torch::Tensor &x, int k)
{
    if (x.dim() != 2 || x.size(0) < 1)
        throw Error("PCA needs a non-empty [rows, dim] matrix");
    if (k < 1)
        throw Error("PCA needs at least one component, got " + std::to_string(k));
    torch::NoGradGuard noGrad;
    const auto X = x.to(torch::kCPU, torch::kFloat64);
    PcaResult r;
    r.mean = X.mean(0);
    const auto centred = X - r.mean;
    const std::int64_t n = X.size(0), d = X.size(1);
    const std::int64_t kk = std::min<std::int64_t>({k, n, d});
    auto [U, S, Vh] = torch::linalg_svd(centred, /*full_matrices=*/false);
    auto comps = Vh.slice(0, 0, kk).clone();
    // Deterministic signs: the largest-magnitude entry of each component is positive.
    for (std::int64_t c = 0; c < kk; ++c) {
        const auto idx = comps[c].abs().argmax().item<std::int64_t>();
        if (comps[c][idx].item<double>() < 0)
            comps[c].mul_(-1);
    }
    r.components = comps;
    r.projected = torch::zeros({n, k}, torch::kFloat64);
    r.projected.slice(1, 0, kk).copy_(centred.matmul(comps.t()));
    const auto var = S.pow(2);
    const double total = var.sum().item<double>();
    for (std::int64_t c = 0; c < kk; ++c) {
        const double v = var[c].item<double>();
        r.explainedVariance.push_back(n > 1 ? v / double(n - 1) : 0.0);
        r.explainedRatio.push_back(total > 0 ? v / total : 0.0);
    }
    return r;
}

} // namespace poisonlab::analysis
