#pragma once

#include "poisonlab/core/clip/ClipConfig.h"
#include "poisonlab/core/clip/ClipTransformer.h"

#include <torch/nn/modules/embedding.h>
#include <torch/nn/modules/normalization.h>

#include <functional>

namespace poisonlab::clip {

/// OpenAI's CLIP (clip/model.py) with the same parameter names, so state-dict keys map one to one:
/// `visual.*` (VisionTransformer or ModifiedResNet), `token_embedding`, `positional_embedding`,
/// `transformer.*`, `ln_final`, `text_projection`, `logit_scale`.
///
/// The text tower computes exactly OpenAI's function but skips what cannot reach the output: the
/// positions after the batch's last end-of-text token (the causal mask hides them from earlier
/// positions), and in the last block every row but the end-of-text rows. The image tower's last
/// block likewise computes only the class token's row.
class ClipModelImpl : public torch::nn::Module {
public:
    explicit ClipModelImpl(const ClipConfig &config);
    /// OpenAI's CLIP.initialize_parameters (random weights for training from scratch).
    void reset_parameters();

    /// pixels [B, 3, R, R] float, normalised -> projected, un-normalised features [B, embed_dim].
    torch::Tensor encodeImage(const torch::Tensor &pixels);
    /// tokens [B, L] int64 (L <= context_length; end-of-text is each row's largest id) ->
    /// projected, un-normalised features [B, embed_dim].
    torch::Tensor encodeText(const torch::Tensor &tokens);
    /// The learned log scale (a 0-d parameter); the logits use its exp().
    torch::Tensor logitScale() const { return logit_scale; }
    const ClipConfig &config() const { return m_config; }

    torch::nn::Module &visual() { return *m_visual; }

    torch::Tensor positional_embedding;
    torch::Tensor text_projection;
    torch::Tensor logit_scale;
    torch::nn::Embedding token_embedding{nullptr};
    ClipTransformer transformer{nullptr};
    torch::nn::LayerNorm ln_final{nullptr};

private:
    ClipConfig m_config;
    std::shared_ptr<torch::nn::Module> m_visual;
    std::function<torch::Tensor(const torch::Tensor &)> m_visualForward;
};
TORCH_MODULE(ClipModel);

/// Number of elements in all parameters (OpenAI ViT-B/32: 151,277,313).
int64_t parameterCount(torch::nn::Module &module);

} // namespace poisonlab::clip
