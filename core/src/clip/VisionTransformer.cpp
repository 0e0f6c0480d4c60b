#include "poisonlab/core/clip/VisionTransformer.h"

#include <cmath>

namespace poisonlab::clip {

VisionTransformerImpl::VisionTransformerImpl(const VisionTransformerOptions &o) : options(o)
{
    const int64_t grid = o.input_resolution() / o.patch_size();
    const double scale = std::pow(static_cast<double>(o.width()), -0.5);
    conv1 = register_module(
        "conv1",
        torch::nn::Conv2d(torch::nn::Conv2dOptions(3, o.width(), o.patch_size()).stride(o.patch_size()).bias(false)));
    class_embedding = register_parameter("class_embedding", torch::randn({o.width()}) * scale);
    positional_embedding =
        register_parameter("positional_embedding", torch::randn({grid * grid + 1, o.width()}) * scale);
    ln_pre = register_module("ln_pre", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.width()})));
    transformer =
        register_module("transformer", ClipTransformer(ClipTransformerOptions(o.width(), o.layers(), o.heads())));
    ln_post = register_module("ln_post", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.width()})));
    proj = register_parameter("proj", torch::randn({o.width(), o.output_dim()}) * scale);
}

torch::Tensor VisionTransformerImpl::forward(const torch::Tensor &pixels)
{
    const int64_t b = pixels.size(0), w = options.width();
    torch::Tensor x = conv1->forward(pixels);                           // [B, W, g, g]
    x = x.flatten(2).transpose(1, 2).to(class_embedding.scalar_type()); // [B, g*g, W], float32 under autocast
    x = torch::cat({class_embedding.view({1, 1, w}).expand({b, 1, w}), x}, 1) + positional_embedding;
    x = ln_pre->forward(x);
    // Only the class token's row of the last block reaches ln_post and proj.
    x = transformer->forwardRows(x, torch::zeros({b}, torch::dtype(torch::kLong).device(x.device())));
    return ln_post->forward(x).mm(proj);
}

} // namespace poisonlab::clip
