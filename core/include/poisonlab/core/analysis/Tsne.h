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
    /// At most this many points are embedded; beyond it, a seeded uniform sample of maxPoints rows
    /// (without replacement) is, and the result says so. 0: no limit.
    int maxPoints = 0;
    /// "exact" (O(n^2) time and memory; refused above kExactTsneMaxPoints), "barnes_hut" (O(n log n),
    /// van der Maaten 2014, as scikit-learn's method="barnes_hut"), or "auto": exact up to
    /// kExactTsneAutoPoints points (after sampling), Barnes-Hut beyond.
    std::string method = "auto";
    double angle = 0.5; ///< Barnes-Hut's theta: a cell is summarised when its width / distance < angle
    nlohmann::json toJson() const;
};

/// "auto" runs the exact method up to this many points.
inline constexpr int kExactTsneAutoPoints = 500;
/// The exact method refuses more points than this (its n x n buffers would take gigabytes).
inline constexpr int kExactTsneMaxPoints = 10000;

struct TsneResult {
    std::string method = "exact"; ///< what ran: "exact" or "barnes_hut"
    torch::Tensor points;         ///< [m, 2] float64
    std::vector<int> rows;        ///< input row of each point (all rows, in order, unless sampled)
    bool sampled = false;
    std::int64_t inputRows = 0;
    /// KL(P || Q) of the final layout (no exaggeration). Barnes-Hut: as scikit-learn reports it,
    /// over the sparse P, with Z estimated by the tree, at the layout of the last iteration.
    double klDivergence = 0;
    double learningRate = 0; ///< the rate used
    /// {"method":"exact"|"barnes_hut","sampled","input_rows","kept_rows","sample_rule","kl_divergence",
    /// "learning_rate"}
    nlohmann::json describe() const;
};

/// t-SNE of the rows of x by the options' method (see TsneBarnesHut.h for Barnes-Hut's parts).
/// Exact t-SNE (van der Maaten & Hinton 2008): Gaussian affinities whose bandwidth per point
/// is bisected to the perplexity (entropy in nats = ln perplexity), symmetrised P, Student-t Q,
/// gradient descent with momentum 0.5 then 0.8 (after the exaggeration phase) and per-parameter
/// gains (+0.2 / x0.8, at least 0.01), the layout re-centred each step. Initial layout: seeded
/// N(0, 1e-4^2). The perplexity is cut to (n - 1) / 3 for tiny inputs. Progress is reported
/// every 50 iterations under stage "t-sne", and cancellation is honoured there. Barnes-Hut shares
/// the optimiser, the initial layout and the learning rate; its P comes from the k = 3 perplexity
/// nearest neighbours.
TsneResult tsne(const torch::Tensor &x, const TsneOptions &options = {}, ProgressReporter *progress = nullptr);

} // namespace poisonlab::analysis
