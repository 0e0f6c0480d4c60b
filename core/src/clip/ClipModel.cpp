#include "poisonlab/core/clip/ClipModel.h"

#include "poisonlab/core/clip/ClipOps.h"
#include "poisonlab/core/clip/ModifiedResNet.h"
#include "poisonlab/core/clip/VisionTransformer.h"

#include <torch/nn/init.h>

#include <cmath>

namespace poisonlab::clip {

ClipModelImpl::ClipModelImpl(const ClipConfig &config) : m_config(config)
{
    config.validate();
    const ClipConfig &c = config;
    if (c.isVit()) {
        auto vit = VisionTransformer(VisionTransformerOptions(c.imageResolution, c.visionPatchSize, c.visionWidth,
                                                              c.visionLayers[0], c.visionHeads(), c.embedDim));
        m_visual = register_module("visual", vit);
        m_visualForward = [vit](const torch::Tensor &x) mutable { return vit->forward(x); };
    } else {
        auto rn = ModifiedResNet(ModifiedResNetOptions({c.visionLayers.begin(), c.visionLayers.end()}, c.embedDim,
                                                       c.visionHeads(), c.imageResolution, c.visionWidth));
        m_visual = register_module("visual", rn);
        m_visualForward = [rn](const torch::Tensor &x) mutable { return rn->forward(x); };
    }
    transformer = register_module("transformer", ClipTransformer(ClipTransformerOptions(
                                                     c.transformerWidth, c.transformerLayers, c.transformerHeads)));
    token_embedding = register_module("token_embedding", torch::nn::Embedding(c.vocabSize, c.transformerWidth));
    positional_embedding =
        register_parameter("positional_embedding", torch::empty({c.contextLength, c.transformerWidth}));
    ln_final = register_module("ln_final", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c.transformerWidth})));
    text_projection = register_parameter("text_projection", torch::empty({c.transformerWidth, c.embedDim}));
    logit_scale = register_parameter("logit_scale", torch::full({}, std::log(1.0 / 0.07)));
    reset_parameters();
}

void ClipModelImpl::reset_parameters()
{
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(token_embedding->weight, 0.0, 0.02);
    torch::nn::init::normal_(positional_embedding, 0.0, 0.01);
    torch::nn::init::normal_(text_projection, 0.0, std::pow(static_cast<double>(m_config.transformerWidth), -0.5));
    logit_scale.fill_(std::log(1.0 / 0.07));
}

torch::Tensor ClipModelImpl::encodeImage(const torch::Tensor &pixels)
{
    TORCH_CHECK(pixels.dim() == 4 && pixels.size(1) == 3 && pixels.size(2) == m_config.imageResolution &&
                    pixels.size(3) == m_config.imageResolution,
                "encodeImage expects pixels [B, 3, ", m_config.imageResolution, ", ", m_config.imageResolution,
                "], got ", pixels.sizes());
    return m_visualForward(pixels);
}

torch::Tensor ClipModelImpl::encodeText(const torch::Tensor &tokens)
{
    TORCH_CHECK(tokens.dim() == 2 && tokens.size(1) <= m_config.contextLength && tokens.size(1) > 0,
                "encodeText expects tokens [B, L] with 0 < L <= ", m_config.contextLength, ", got ", tokens.sizes());
    const int64_t n = tokens.size(0);
    if (n == 0)
        return torch::empty({0, m_config.embedDim}, text_projection.options());
    // End-of-text has the largest id, so argmax finds it (as in OpenAI's encode_text).
    const torch::Tensor eot = tokens.argmax(-1);
    // Positions after the batch's last end-of-text cannot influence any end-of-text row through
    // the causal mask: cut them before the transformer. Exact, and most of a 77-token row.
    const int64_t used = eot.max().item<int64_t>() + 1;
    const torch::Tensor t = tokens.narrow(1, 0, used);
    torch::Tensor x = token_embedding->forward(t) + positional_embedding.narrow(0, 0, used);
    x = transformer->forwardRows(x, eot, ops::causalMask(used, x.options()));
    // ln_final is per row, so normalising only the selected rows is the same function.
    return ln_final->forward(x).mm(text_projection);
}

int64_t parameterCount(torch::nn::Module &module)
{
    int64_t n = 0;
    for (const auto &p : module.parameters())
        n += p.numel();
    return n;
}

} // namespace poisonlab::clip
