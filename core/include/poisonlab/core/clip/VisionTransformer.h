#pragma once

#include "poisonlab/core/clip/ClipTransformer.h"

#include <torch/nn/modules/conv.h>

namespace poisonlab::clip {

struct VisionTransformerOptions {
    VisionTransformerOptions(int64_t inputResolution, int64_t patchSize, int64_t width, int64_t layers, int64_t heads,
                             int64_t outputDim)
        : input_resolution_(inputResolution), patch_size_(patchSize), width_(width), layers_(layers), heads_(heads),
          output_dim_(outputDim)
    {
    }
    TORCH_ARG(int64_t, input_resolution);
    TORCH_ARG(int64_t, patch_size);
    TORCH_ARG(int64_t, width);
    TORCH_ARG(int64_t, layers);
    TORCH_ARG(int64_t, heads);
    TORCH_ARG(int64_t, output_dim);
};

/// OpenAI's VisionTransformer: conv1 patch embedding (no bias), class_embedding,
/// positional_embedding, ln_pre, transformer, ln_post on the class token, proj.
class VisionTransformerImpl : public torch::nn::Module {
public:
    explicit VisionTransformerImpl(const VisionTransformerOptions &options);
    /// pixels [B, 3, R, R] -> [B, output_dim].
    torch::Tensor forward(const torch::Tensor &pixels);

    VisionTransformerOptions options;
    torch::nn::Conv2d conv1{nullptr};
    torch::Tensor class_embedding;
    torch::Tensor positional_embedding;
    torch::nn::LayerNorm ln_pre{nullptr};
    ClipTransformer transformer{nullptr};
    torch::nn::LayerNorm ln_post{nullptr};
    torch::Tensor proj;
};
TORCH_MODULE(VisionTransformer);

} // namespace poisonlab::clip
