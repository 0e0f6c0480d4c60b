#pragma once

#include "poisonlab/core/Progress.h"

#include <nlohmann/json_fwd.hpp>
#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace poisonlab::analysis {

struct TsneOptions {
    double perplexity = 30;
    int iterations = 1000;
    double learningRate = 0; ///< <= 0: "auto", max(n / earlyExaggeration / 4, 50) (as scikit-learn)
    double earlyExaggeration = 12;
    int exaggerationIterations = 250; ///< P is multiplied by earlyExaggeration for these first iterations
    std::uint64_t seed = 0;           ///< initial layout and the sample
    /// At most this many points get the exact O(n^2) t-SNE; beyond it, a seeded uniform sample
    /// of maxPoints rows (without replacement) is embedded, and the result says so.
    int maxPoints = 2000;
    nlohmann::json toJson() const;
};

struct TsneResult {
    torch::Tensor points;  ///< [m, 2] float64
    std::vector<int> rows; ///< input row of each point (all rows, in order, unless sampled)
    bool sampled = false;
    std::int64_t inputRows = 0;
    double klDivergence = 0; ///< KL(P || Q) of the final layout (no exaggeration)
    double learningRate = 0; ///< the rate used
    /// {"method":"exact","sampled","input_rows","kept_rows","sample_rule","kl_divergence","learning_rate"}
    nlohmann::json describe() const;
};

/// Exact t-SNE (van der Maaten & Hinton 2008): Gaussian affinities whose bandwidth per point
/// is bisected to the perplexity (entropy in nats = ln perplexity), symmetrised P, Student-t Q,
/// gradient descent with momentum 0.5 then 0.8 (after the exaggeration phase) and per-parameter
/// gains (+0.2 / x0.8, at least 0.01), the layout re-centred each step. Initial layout: seeded
/// N(0, 1e-4^2). The perplexity is cut to (n - 1) / 3 for tiny inputs. Progress is reported
/// every 50 iterations under stage "t-sne", and cancellation is honoured there.
TsneResult tsne(const torch::Tensor &x, const TsneOptions &options = {}, ProgressReporter *progress = nullptr);

} // namespace poisonlab::analysis
