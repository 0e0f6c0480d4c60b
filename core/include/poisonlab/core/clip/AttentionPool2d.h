#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

namespace poisonlab::clip {

struct AttentionPool2dOptions {
    AttentionPool2dOptions(int64_t spacialDim, int64_t embedDim, int64_t heads, int64_t outputDim)
        : spacial_dim_(spacialDim), embed_dim_(embedDim), heads_(heads), output_dim_(outputDim)
    {
    }
    TORCH_ARG(int64_t, spacial_dim);
    TORCH_ARG(int64_t, embed_dim);
    TORCH_ARG(int64_t, heads);
    TORCH_ARG(int64_t, output_dim);
};

/// OpenAI's AttentionPool2d: the mean of the feature map, prepended to it, attends over the map
/// (positional_embedding, k_proj/q_proj/v_proj, c_proj); the output is that one query's row.
class AttentionPool2dImpl : public torch::nn::Module {
public:
    explicit AttentionPool2dImpl(const AttentionPool2dOptions &options);
    /// x [N, C, H, W] -> [N, output_dim].
    torch::Tensor forward(const torch::Tensor &x);

    AttentionPool2dOptions options;
    torch::Tensor positional_embedding;
    torch::nn::Linear k_proj{nullptr}, q_proj{nullptr}, v_proj{nullptr}, c_proj{nullptr};
};
TORCH_MODULE(AttentionPool2d);

} // namespace poisonlab::clip
