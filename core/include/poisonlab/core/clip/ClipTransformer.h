#pragma once

#include "poisonlab/core/clip/ResidualAttentionBlock.h"

#include <torch/nn/modules/container/modulelist.h>

namespace poisonlab::clip {

struct ClipTransformerOptions {
    ClipTransformerOptions(int64_t width, int64_t layers, int64_t heads) : width_(width), layers_(layers), heads_(heads)
    {
    }
    TORCH_ARG(int64_t, width);
    TORCH_ARG(int64_t, layers);
    TORCH_ARG(int64_t, heads);
};

/// OpenAI's `Transformer`: `resblocks`, a stack of ResidualAttentionBlocks (batch-first here).
class ClipTransformerImpl : public torch::nn::Module {
public:
    explicit ClipTransformerImpl(const ClipTransformerOptions &options);
    /// Initialisation of OpenAI's CLIP.initialize_parameters for the blocks.
    void reset_parameters();
    torch::Tensor forward(const torch::Tensor &x, const torch::Tensor &mask = {});
    /// The output rows `queryIndex` ([N]) only: [N, D]. The last block computes just those rows.
    torch::Tensor forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex, const torch::Tensor &mask = {});

    ClipTransformerOptions options;
    torch::nn::ModuleList resblocks{nullptr};
};
TORCH_MODULE(ClipTransformer);

} // namespace poisonlab::clip
