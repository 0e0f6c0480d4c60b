#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace poisonlab::clip {

struct ClipAttentionOptions {
    ClipAttentionOptions(int64_t width, int64_t heads) : width_(width), heads_(heads) {}
    TORCH_ARG(int64_t, width);
    TORCH_ARG(int64_t, heads);
};

/// The self-attention of OpenAI's ResidualAttentionBlock: the same function and parameter
/// names as torch.nn.MultiheadAttention (`in_proj_weight`, `in_proj_bias`, `out_proj`), but
/// batch-first and written as a few GEMMs on contiguous buffers.
class ClipAttentionImpl : public torch::nn::Module {
public:
    explicit ClipAttentionImpl(const ClipAttentionOptions &options);
    void reset_parameters(double inStd, double outStd);

    /// x: [N, L, D]; mask: additive [L, L] or undefined. Returns [N, L, D].
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &mask = {});
    /// The output rows `queryIndex` ([N] int64) only, attending over all of x: [N, D]. Used for
    /// the last block of a tower, whose other rows never reach the features.
    torch::Tensor forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex, const torch::Tensor &mask = {});

    ClipAttentionOptions options;
    torch::Tensor in_proj_weight;
    torch::Tensor in_proj_bias;
    torch::nn::Linear out_proj{nullptr};
};
TORCH_MODULE(ClipAttention);

} // namespace poisonlab::clip
