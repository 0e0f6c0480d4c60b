#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/analysis/Tsne.h"

#include <torch/types.h>

#include <cstdint>
#include <vector>

namespace poisonlab::analysis {

/// The symmetric joint affinities P of Barnes-Hut t-SNE in compressed rows: row i holds p_ij for
/// the j among i's k nearest neighbours or having i among theirs; the values sum to 1.
struct SparseAffinities {
    std::int64_t rows = 0;
    std::vector<std::int64_t> rowStart; ///< rows + 1 offsets into columns / values
    std::vector<std::int32_t> columns;  ///< ascending within a row
    std::vector<float> values;
    torch::Tensor toDense() const; ///< [rows, rows] float64 (for tests)
};

/// The k nearest neighbours of each row of x (Euclidean, the row itself excluded), exact: blocked
/// squared distances |a|^2 + |b|^2 - 2 a.b by matrix product, then top-k per row.
struct NearestNeighbours {
    torch::Tensor indices;          ///< [n, k] int64, nearest first
    torch::Tensor squaredDistances; ///< [n, k] float32
};
NearestNeighbours nearestNeighbours(const torch::Tensor &x, int k, ProgressReporter *progress = nullptr);

/// P as scikit-learn's _joint_probabilities_nn: per row, P(j|i) over the k = min(n - 1,
/// floor(3 perplexity + 1)) nearest neighbours with the precision bisected to the perplexity
/// (entropy in nats), then P = (P + P^T) / sum.
SparseAffinities nearestNeighbourAffinities(const torch::Tensor &x, double perplexity,
                                            ProgressReporter *progress = nullptr);

struct BarnesHutGradient {
    torch::Tensor gradient; ///< [n, 2] float32, dKL/dy
    double klDivergence =
        0; ///< as scikit-learn's _kl_divergence_bh: sum p_ij log(p_ij / q_ij) over P's entries, Z estimated by the tree
};

/// The gradient of KL(exaggeration * P || Q) at layout y ([n, 2] float32), with the repulsion
/// approximated by a quadtree at this angle (van der Maaten 2014); angle 0 gives the exact
/// gradient. Uses at most the intra-op threads of LibTorch; the result does not depend on them.
BarnesHutGradient barnesHutGradient(const SparseAffinities &p, const torch::Tensor &y, double angle,
                                    double exaggeration = 1);

/// Barnes-Hut t-SNE of all rows of x (what analysis::tsne runs for method "barnes_hut", after its
/// sampling): the optimiser of the exact version (momentum 0.5 then 0.8, gains, early
/// exaggeration), scikit-learn's gains rule, the final KL as scikit-learn reports it.
TsneResult barnesHutTsne(const torch::Tensor &x, const TsneOptions &options, ProgressReporter *progress = nullptr);

} // namespace poisonlab::analysis
