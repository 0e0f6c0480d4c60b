#include "poisonlab/core/analysis/Tsne.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/analysis/TsneBarnesHut.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace poisonlab::analysis {

nlohmann::json TsneOptions::toJson() const
{
    return {{"perplexity", perplexity},
            {"iterations", iterations},
            {"learning_rate", learningRate > 0 ? nlohmann::json(learningRate) : nlohmann::json("auto")},
            {"early_exaggeration", earlyExaggeration},
            {"exaggeration_iterations", exaggerationIterations},
            {"seed", seed},
            {"max_points", maxPoints},
            {"method", method},
            {"angle", angle},
            {"initialisation", "seeded normal, sd 1e-4"}};
}

nlohmann::json TsneResult::describe() const
{
    nlohmann::json j = {{"method", method},
                        {"sampled", sampled},
                        {"input_rows", inputRows},
                        {"kept_rows", rows.size()},
                        {"kl_divergence", klDivergence},
                        {"learning_rate", learningRate}};
    if (sampled)
        j["sample_rule"] = "seeded uniform sample without replacement (poisonlab::Rng(seed), partial Fisher-Yates), "
                           "rows kept in input order";
    return j;
}

namespace {

/// Conditional affinities P(j|i) with each row's precision beta bisected (all rows at once) so
/// that the row entropy equals ln(perplexity).
torch::Tensor conditionalAffinities(const torch::Tensor &d2, double perplexity)
{
    const std::int64_t n = d2.size(0);
    const double target = std::log(perplexity);
    const auto eye = torch::eye(n, torch::kBool);
    // Shift each row by its smallest off-diagonal distance: the same P, no underflow.
    const auto big = torch::full_like(d2, std::numeric_limits<double>::infinity());
    const auto rowMin = torch::where(eye, big, d2).amin(1, true);
    const auto d = torch::where(eye, torch::zeros_like(d2), d2 - rowMin);
    auto beta = torch::ones({n, 1}, torch::kFloat64);
    auto lo = torch::full({n, 1}, 0.0, torch::kFloat64);
    auto hi = torch::full({n, 1}, std::numeric_limits<double>::infinity(), torch::kFloat64);
    torch::Tensor p;
    for (int it = 0; it < 100; ++it) {
        p = torch::exp(-d * beta).masked_fill(eye, 0.0);
        const auto sum = p.sum(1, true).clamp_min(1e-300);
        const auto h = torch::log(sum) + beta * (d * p).sum(1, true) / sum;
        if ((h - target).abs().max().item<double>() < 1e-5)
            break;
        const auto tooFlat = h > target; // entropy too high: sharpen (raise beta)
        lo = torch::where(tooFlat, beta, lo);
        hi = torch::where(tooFlat, hi, beta);
        beta = torch::where(torch::isinf(hi), beta * 2, (lo + hi) / 2);
    }
    return p / p.sum(1, true).clamp_min(1e-300);
}

/// Exact t-SNE of all rows of X ([n, d] float64).
TsneResult exactTsne(const torch::Tensor &X, const TsneOptions &o, ProgressReporter *progress)
{
    TsneResult r;
    const std::int64_t n = X.size(0);
    const auto sq = X.pow(2).sum(1, true);
    const auto d2 = (sq + sq.t() - 2 * X.matmul(X.t())).clamp_min(0);
    const double perplexity = std::min(o.perplexity, std::max(1.0, double(n - 1) / 3.0));
    auto P = conditionalAffinities(d2, perplexity);
    P = ((P + P.t()) / (2.0 * double(n))).clamp_min(1e-12);

    // The descent runs in float32 with in-place n x n buffers: it is memory-bound, and float32
    // halves the traffic (the affinities above are bisected in float64).
    const auto Pf = P.to(torch::kFloat32).contiguous();
    Rng rng(o.seed ^ 0x7453'4e45ull);
    auto Y = torch::empty({n, 2}, torch::kFloat32);
    {
        auto acc = Y.accessor<float, 2>();
        for (std::int64_t i = 0; i < n; ++i)
            for (int c = 0; c < 2; ++c)
                acc[i][c] = float(1e-4 * rng.normal());
    }
    auto update = torch::zeros_like(Y);
    auto gains = torch::ones_like(Y);
    r.learningRate = o.learningRate > 0 ? o.learningRate : std::max(double(n) / o.earlyExaggeration / 4.0, 50.0);
    torch::Tensor num = torch::empty({n, n}, torch::kFloat32), pq = torch::empty({n, n}, torch::kFloat32);
    // num_ij = 1 / (1 + |y_i - y_j|^2), zero diagonal; returns sum(num) (Q = num / sum).
    // The squared distances from coordinate differences, not |y_i|^2 + |y_j|^2 - 2 y_i.y_j: the
    // expansion cancels in float32 while the layout is tiny (sd 1e-4): with Debian's OpenBLAS it
    // made tst_analysis's two-cluster layout explode (the reference BLAS happened not to).
    auto student = [&](const torch::Tensor &y) {
        const auto c0 = y.select(1, 0).unsqueeze(1), c1 = y.select(1, 1).unsqueeze(1);
        torch::sub_out(num, c0, c0.t());
        num.mul_(num).add_((c1 - c1.t()).square_()).add_(1).reciprocal_();
        num.diagonal().zero_();
        return num.sum().item<double>();
    };
    for (int it = 0; it < o.iterations; ++it) {
        const double exaggeration = it < o.exaggerationIterations ? o.earlyExaggeration : 1.0;
        const double momentum = it < o.exaggerationIterations ? 0.5 : 0.8;
        const double z = student(Y);
        // (p_ij - q_ij) * num_ij with q_ij = num_ij / z.
        torch::mul_out(pq, num, -1.0 / z);
        pq.add_(Pf, exaggeration).mul_(num);
        const auto grad = 4.0 * (pq.sum(1, true) * Y - pq.mm(Y));
        const auto sameSign = (grad > 0) == (update > 0);
        gains = torch::where(sameSign, gains * 0.8, gains + 0.2).clamp_min(0.01);
        update = momentum * update - r.learningRate * gains * grad;
        Y = Y + update;
        Y = Y - Y.mean(0, true);
        if (progress && (it % 50 == 49 || it + 1 == o.iterations)) {
            progress->throwIfCancelled();
            progress->report({"t-sne", it + 1, o.iterations, "t-SNE of " + std::to_string(n) + " points", {}});
        }
    }
    const double z = student(Y);
    const auto Q = (num.to(torch::kFloat64) / z).clamp_min(1e-12);
    r.klDivergence = (P * torch::log(P / Q)).sum().item<double>();
    r.points = Y.to(torch::kFloat64);
    return r;
}

} // namespace

TsneResult tsne(const torch::Tensor &x, const TsneOptions &o, ProgressReporter *progress)
{
    if (x.dim() != 2 || x.size(0) < 2)
        throw Error("t-SNE needs a [rows, dim] matrix with at least 2 rows");
    if (o.maxPoints != 0 && o.maxPoints < 2)
        throw Error("t-SNE needs max points of at least 2 (or 0: no limit), got " + std::to_string(o.maxPoints));
    if (!(o.perplexity > 0) || o.iterations < 1)
        throw Error("t-SNE needs a positive perplexity and at least one iteration");
    if (o.method != "auto" && o.method != "exact" && o.method != "barnes_hut")
        throw Error("unknown t-SNE method \"" + o.method + "\" (use auto, exact or barnes_hut)");
    if (!(o.angle >= 0))
        throw Error("t-SNE needs an angle of at least 0");
    torch::NoGradGuard noGrad;
    TsneResult r;
    r.inputRows = x.size(0);
    r.rows.resize(std::size_t(x.size(0)));
    std::iota(r.rows.begin(), r.rows.end(), 0);
    if (o.maxPoints > 0 && x.size(0) > o.maxPoints) {
        Rng rng(o.seed);
        std::vector<int> pool = r.rows;
        for (std::size_t i = 0; i < std::size_t(o.maxPoints); ++i)
            std::swap(pool[i], pool[i + std::size_t(rng.below(pool.size() - i))]);
        pool.resize(std::size_t(o.maxPoints));
        std::sort(pool.begin(), pool.end());
        r.rows = std::move(pool);
        r.sampled = true;
    }
    const auto X =
        r.sampled
            ? x.to(torch::kCPU).index_select(0, torch::tensor(std::vector<std::int64_t>(r.rows.begin(), r.rows.end())))
            : x.to(torch::kCPU);
    const std::int64_t n = X.size(0);
    const bool exact = o.method == "exact" || (o.method == "auto" && n <= kExactTsneAutoPoints);
    if (exact && n > kExactTsneMaxPoints)
        throw Error("exact t-SNE of " + std::to_string(n) +
                    " points would need n x n buffers of gigabytes; use "
                    "method barnes_hut or at most " +
                    std::to_string(kExactTsneMaxPoints) + " points");
    auto out = exact ? exactTsne(X.to(torch::kFloat64), o, progress) : barnesHutTsne(X, o, progress);
    out.rows = std::move(r.rows);
    out.sampled = r.sampled;
    out.inputRows = r.inputRows;
    return out;
}

} // namespace poisonlab::analysis
