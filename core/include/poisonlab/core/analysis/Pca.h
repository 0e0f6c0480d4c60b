#pragma once

#include <torch/types.h>

#include <vector>

namespace poisonlab::analysis {

/// Principal components of the rows of a matrix (float64 throughout).
struct PcaResult {
    torch::Tensor projected;               ///< [n, k]: the centred rows in the component basis
    torch::Tensor components;              ///< [k, D]: unit vectors, by decreasing variance
    torch::Tensor mean;                    ///< [D]
    std::vector<double> explainedVariance; ///< per component, with n - 1
    std::vector<double> explainedRatio;    ///< share of the total variance
};

/// PCA by the thin SVD of the centred data (torch::linalg_svd). Each component's sign is fixed
/// so that its entry of largest magnitude is positive (the result does not depend on the SVD
/// routine's sign choice). k is cut to min(k, n, D); when it is cut, the missing columns of
/// `projected` are zeros so callers can always read k columns. Throws poisonlab::Error for a
/// matrix that is not 2-d or has no rows.
PcaResult pca(const torch::Tensor &x, int k = 2);

} // namespace poisonlab::analysis
