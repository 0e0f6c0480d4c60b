#include "poisonlab/core/analysis/TsneBarnesHut.h"

#include "analysis/TsneQuadTree.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#if defined(__SSE2__)
#include <xmmintrin.h>
#endif
#include <cfloat>
#include <cmath>
#include <limits>
#include <string>

namespace poisonlab::analysis {

torch::Tensor SparseAffinities::toDense() const
{
    auto d = torch::zeros({rows, rows}, torch::kFloat64);
    auto a = d.accessor<double, 2>();
    for (std::int64_t i = 0; i < rows; ++i)
        for (auto e = rowStart[std::size_t(i)]; e < rowStart[std::size_t(i) + 1]; ++e)
            a[i][columns[std::size_t(e)]] = values[std::size_t(e)];
    return d;
}

NearestNeighbours nearestNeighbours(const torch::Tensor &x, int k, ProgressReporter *progress)
{
    torch::NoGradGuard noGrad;
    const auto X = x.to(torch::kCPU, torch::kFloat32).contiguous();
    const std::int64_t n = X.size(0);
    if (k < 1 || k >= n)
        throw Error("nearest neighbours: k must be in [1, rows - 1], got " + std::to_string(k));
    const auto sq = X.square().sum(1);
    NearestNeighbours out{torch::empty({n, k}, torch::kInt64), torch::empty({n, k}, torch::kFloat32)};
    // Blocks of rows bound the distance buffer ([block, n] floats) and give cancellation points.
    const std::int64_t block = std::max<std::int64_t>(1, std::min<std::int64_t>(n, (1 << 25) / n));
    for (std::int64_t lo = 0; lo < n; lo += block) {
        if (progress)
            progress->throwIfCancelled();
        const std::int64_t b = std::min(block, n - lo);
        auto d2 =
            torch::addmm(sq.unsqueeze(0), X.narrow(0, lo, b), X.t(), 1.0, -2.0).add_(sq.narrow(0, lo, b).unsqueeze(1));
        d2.narrow(1, lo, b).diagonal().fill_(std::numeric_limits<float>::infinity()); // not its own neighbour
        const auto [values, indices] = d2.topk(k, 1, /*largest=*/false, /*sorted=*/true);
        out.squaredDistances.narrow(0, lo, b).copy_(values.clamp_min(0));
        out.indices.narrow(0, lo, b).copy_(indices);
    }
    return out;
}

namespace {

/// P(j|i) of one row over its neighbours' squared distances d[0..k), bisecting the precision
/// until the entropy is within 1e-5 nats of ln(perplexity) (scikit-learn's
/// _binary_search_perplexity; the distances shifted by their minimum, which leaves P unchanged
/// and keeps exp() from underflowing).
void conditionalRow(const float *d, int k, double target, double *p)
{
    const float dMin = *std::min_element(d, d + k);
    double beta = 1, lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
    for (int step = 0; step < 100; ++step) {
        double sum = 0;
        for (int j = 0; j < k; ++j)
            sum += (p[j] = std::exp(-(double(d[j]) - dMin) * beta));
        sum = std::max(sum, 1e-8);
        double weighted = 0;
        for (int j = 0; j < k; ++j)
            weighted += (double(d[j]) - dMin) * (p[j] /= sum);
        const double diff = std::log(sum) + beta * weighted - target;
        if (std::fabs(diff) <= 1e-5)
            break;
        if (diff > 0) { // too flat: sharpen
            lo = beta;
            beta = std::isinf(hi) ? beta * 2 : (beta + hi) / 2;
        } else {
            hi = beta;
            beta = std::isinf(lo) ? beta / 2 : (beta + lo) / 2;
        }
    }
}

/// (P + P^T) / sum in compressed rows from the conditional P over each row's neighbours.
SparseAffinities symmetrise(const std::vector<double> &conditional, const torch::Tensor &indices)
{
    const std::int64_t n = indices.size(0), k = indices.size(1);
    const auto idx = indices.accessor<std::int64_t, 2>();
    std::vector<std::int64_t> start(std::size_t(n) + 1, 0);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t c = 0; c < k; ++c)
            ++start[std::size_t(i) + 1], ++start[std::size_t(idx[i][c]) + 1];
    for (std::size_t i = 0; i < std::size_t(n); ++i)
        start[i + 1] += start[i];
    std::vector<std::pair<std::int32_t, double>> entries(std::size_t(start.back()));
    std::vector<std::int64_t> cursor(start.begin(), start.end() - 1);
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t c = 0; c < k; ++c) {
            const auto j = idx[i][c];
            const double v = conditional[std::size_t(i * k + c)];
            entries[std::size_t(cursor[std::size_t(i)]++)] = {std::int32_t(j), v};
            entries[std::size_t(cursor[std::size_t(j)]++)] = {std::int32_t(i), v};
        }
    SparseAffinities p;
    p.rows = n;
    p.rowStart.assign(1, 0);
    std::vector<double> merged;
    merged.reserve(entries.size());
    for (std::int64_t i = 0; i < n; ++i) {
        const auto first = entries.begin() + start[std::size_t(i)], last = entries.begin() + start[std::size_t(i) + 1];
        std::sort(first, last, [](const auto &a, const auto &b) { return a.first < b.first; });
        for (auto e = first; e != last; ++e) {
            if (p.columns.size() > std::size_t(p.rowStart.back()) && p.columns.back() == e->first)
                merged.back() += e->second;
            else
                p.columns.push_back(e->first), merged.push_back(e->second);
        }
        p.rowStart.push_back(std::int64_t(p.columns.size()));
    }
    double total = 0;
    for (double v : merged)
        total += v;
    total = std::max(total, std::numeric_limits<double>::epsilon());
    p.values.reserve(merged.size());
    for (double v : merged)
        p.values.push_back(float(v / total));
    return p;
}

/// Work is cut into this many fixed chunks (run on however many threads there are), so sums
/// over chunks, and so the layout, do not depend on the thread count.
constexpr std::int64_t kChunks = 16;

/// Flushes denormal floats to zero on this thread while it lives (x86 SSE; elsewhere nothing).
/// Small inputs can contract to ~1e-20 during early exaggeration; squared distances are then
/// denormal, and denormal arithmetic made a 600-point run ten times slower.
class FlushDenormals {
public:
#if defined(__SSE2__)
    FlushDenormals() : m_saved(_mm_getcsr())
    {
        _mm_setcsr(m_saved | 0x8040u);
    } // FTZ | DAZ
    ~FlushDenormals()
    {
        _mm_setcsr(m_saved);
    }

private:
    unsigned m_saved;
#endif
};

template <typename F>
void forChunks(std::int64_t n, F &&body)
{
    at::parallel_for(0, kChunks, 1, [&](std::int64_t b, std::int64_t e) {
        const FlushDenormals flush;
        for (std::int64_t c = b; c < e; ++c)
            body(c, n * c / kChunks, n * (c + 1) / kChunks);
    });
}

/// The gradient into grad (n x 2) and the KL as scikit-learn's when computeError. tree and
/// repulsion are scratch buffers reused across iterations.
double gradientInto(const SparseAffinities &p, const float *y, double angle, double exaggeration, float *grad,
                    bool computeError, detail::TsneQuadTree &tree, std::vector<float> &repulsion)
{
    const std::int64_t n = p.rows;
    tree.build(y, n);
    repulsion.resize(std::size_t(2 * n));
    const auto &order = tree.order();
    const float angleSquared = float(angle * angle);
    double sumQChunk[kChunks] = {}, klChunk[kChunks] = {};
    forChunks(n, [&](std::int64_t c, std::int64_t lo, std::int64_t hi) {
        double s = 0;
        for (std::int64_t k = lo; k < hi; ++k) { // in the tree's order: neighbouring queries share cells
            const auto i = std::size_t(order[std::size_t(k)]);
            const auto r = tree.repulsion(y[2 * i], y[2 * i + 1], angleSquared);
            repulsion[2 * i] = float(r.fx), repulsion[2 * i + 1] = float(r.fy);
            s += r.sumQ;
        }
        sumQChunk[c] = s;
    });
    double sumQ = 0;
    for (double s : sumQChunk)
        sumQ += s;
    sumQ = std::max(sumQ, 1e-300);
    const float exag = float(exaggeration);
    forChunks(n, [&](std::int64_t c, std::int64_t lo, std::int64_t hi) {
        double kl = 0;
        for (std::int64_t i = lo; i < hi; ++i) {
            const float yx = y[2 * i], yy = y[2 * i + 1];
            float fx = 0, fy = 0;
            for (auto e = p.rowStart[std::size_t(i)]; e < p.rowStart[std::size_t(i) + 1]; ++e) {
                const auto j = std::size_t(p.columns[std::size_t(e)]);
                const float dx = yx - y[2 * j], dy = yy - y[2 * j + 1];
                const float q = 1.0f / (1.0f + dx * dx + dy * dy);
                const float pij = exag * p.values[std::size_t(e)];
                fx += pij * q * dx, fy += pij * q * dy;
                if (computeError)
                    kl += pij * std::log(std::max(pij, FLT_MIN) / std::max(float(q / sumQ), FLT_MIN));
            }
            grad[2 * i] = float(4.0 * (fx - repulsion[std::size_t(2 * i)] / sumQ));
            grad[2 * i + 1] = float(4.0 * (fy - repulsion[std::size_t(2 * i + 1)] / sumQ));
        }
        klChunk[c] = kl;
    });
    double kl = 0;
    for (double v : klChunk)
        kl += v;
    return kl;
}

} // namespace

SparseAffinities nearestNeighbourAffinities(const torch::Tensor &x, double perplexity, ProgressReporter *progress)
{
    const std::int64_t n = x.size(0);
    if (n < 2 || !(perplexity > 0))
        throw Error("t-SNE affinities need at least 2 rows and a positive perplexity");
    const int k = int(std::min<std::int64_t>(n - 1, std::int64_t(3.0 * perplexity + 1)));
    const auto nn = nearestNeighbours(x, k, progress);
    const auto d = nn.squaredDistances.contiguous();
    const float *dp = d.data_ptr<float>();
    std::vector<double> conditional(std::size_t(n * k));
    const double target = std::log(perplexity);
    forChunks(n, [&](std::int64_t, std::int64_t lo, std::int64_t hi) {
        for (std::int64_t i = lo; i < hi; ++i)
            conditionalRow(dp + i * k, k, target, conditional.data() + i * k);
    });
    return symmetrise(conditional, nn.indices);
}

BarnesHutGradient barnesHutGradient(const SparseAffinities &p, const torch::Tensor &y, double angle,
                                    double exaggeration)
{
    if (y.dim() != 2 || y.size(0) != p.rows || y.size(1) != 2)
        throw Error("Barnes-Hut gradient: the layout must be [rows of P, 2]");
    const auto Y = y.to(torch::kCPU, torch::kFloat32).contiguous();
    BarnesHutGradient g{torch::empty({p.rows, 2}, torch::kFloat32), 0};
    detail::TsneQuadTree tree;
    std::vector<float> repulsion;
    g.klDivergence =
        gradientInto(p, Y.data_ptr<float>(), angle, exaggeration, g.gradient.data_ptr<float>(), true, tree, repulsion);
    return g;
}

TsneResult barnesHutTsne(const torch::Tensor &x, const TsneOptions &o, ProgressReporter *progress)
{
    torch::NoGradGuard noGrad;
    const std::int64_t n = x.size(0);
    const double perplexity = std::min(o.perplexity, std::max(1.0, double(n - 1) / 3.0));
    if (progress)
        progress->report({"t-sne", 0, o.iterations, "nearest neighbours of " + std::to_string(n) + " points", {}});
    const auto P = nearestNeighbourAffinities(x, perplexity, progress);

    TsneResult r;
    r.method = "barnes_hut";
    Rng rng(o.seed ^ 0x7453'4e45ull); // the exact version's initial layout
    std::vector<float> y(std::size_t(2 * n)), update(y.size(), 0.f), gains(y.size(), 1.f), grad(y.size());
    for (auto &v : y)
        v = float(1e-4 * rng.normal());
    r.learningRate = o.learningRate > 0 ? o.learningRate : std::max(double(n) / o.earlyExaggeration / 4.0, 50.0);
    const float rate = float(r.learningRate);
    detail::TsneQuadTree tree;
    std::vector<float> repulsion;
    for (int it = 0; it < o.iterations; ++it) {
        const bool exaggerated = it < o.exaggerationIterations;
        const float momentum = exaggerated ? 0.5f : 0.8f;
        // The KL as scikit-learn computes it: every 50 iterations and at the last one.
        const bool computeError = it % 50 == 49 || it + 1 == o.iterations;
        const double kl = gradientInto(P, y.data(), o.angle, exaggerated ? o.earlyExaggeration : 1.0, grad.data(),
                                       computeError, tree, repulsion);
        if (it + 1 == o.iterations)
            r.klDivergence = kl;
        double mean[2] = {0, 0};
        for (std::size_t k = 0; k < y.size(); ++k) {
            // scikit-learn's gains: up where the step reverses the last one, down otherwise.
            gains[k] = std::max(update[k] * grad[k] < 0 ? gains[k] + 0.2f : gains[k] * 0.8f, 0.01f);
            update[k] = momentum * update[k] - rate * gains[k] * grad[k];
            y[k] += update[k];
            mean[k & 1] += y[k];
        }
        for (std::size_t k = 0; k < y.size(); ++k)
            y[k] -= float(mean[k & 1] / double(n));
        if (progress && (it % 50 == 49 || it + 1 == o.iterations)) {
            progress->throwIfCancelled();
            progress->report(
                {"t-sne", it + 1, o.iterations, "Barnes-Hut t-SNE of " + std::to_string(n) + " points", {}});
        }
    }
    r.points = torch::from_blob(y.data(), {n, 2}, torch::kFloat32).to(torch::kFloat64);
    r.inputRows = n;
    r.rows.resize(std::size_t(n));
    for (std::int64_t i = 0; i < n; ++i)
        r.rows[std::size_t(i)] = int(i);
    return r;
}

} // namespace poisonlab::analysis
