#pragma once

#include "poisonlab/core/clip/ClipAttention.h"

#include <torch/nn/modules/normalization.h>

namespace poisonlab::clip {

/// OpenAI's `mlp`: c_fc -> QuickGELU -> c_proj.
class ClipMlpImpl : public torch::nn::Module {
public:
    explicit ClipMlpImpl(int64_t width);
    torch::Tensor forward(const torch::Tensor &x);
    torch::nn::Linear c_fc{nullptr};
    torch::nn::Linear c_proj{nullptr};
};
TORCH_MODULE(ClipMlp);

struct ResidualAttentionBlockOptions {
    ResidualAttentionBlockOptions(int64_t width, int64_t heads) : width_(width), heads_(heads) {}
    TORCH_ARG(int64_t, width);
    TORCH_ARG(int64_t, heads);
};

/// Pre-LN block: x + attn(ln_1(x)), then + mlp(ln_2(x)). Names as OpenAI's.
class ResidualAttentionBlockImpl : public torch::nn::Module {
public:
    explicit ResidualAttentionBlockImpl(const ResidualAttentionBlockOptions &options);
    /// x: [N, L, D] -> [N, L, D].
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &mask = {});
    /// Only the rows `queryIndex` ([N]) of the output: [N, D] (exactly those rows of forward()).
    torch::Tensor forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex, const torch::Tensor &mask = {});

    ResidualAttentionBlockOptions options;
    ClipAttention attn{nullptr};
    torch::nn::LayerNorm ln_1{nullptr};
    ClipMlp mlp{nullptr};
    torch::nn::LayerNorm ln_2{nullptr};
};
TORCH_MODULE(ResidualAttentionBlock);

} // namespace poisonlab::clip
