#include "poisonlab/core/clip/ClipTransformer.h"

#include <torch/nn/init.h>

#include <cmath>

namespace poisonlab::clip {

ClipTransformerImpl::ClipTransformerImpl(const ClipTransformerOptions &o) : options(o)
{
    resblocks = register_module("resblocks", torch::nn::ModuleList());
    for (int64_t i = 0; i < o.layers(); ++i)
        resblocks->push_back(ResidualAttentionBlock(ResidualAttentionBlockOptions(o.width(), o.heads())));
    reset_parameters();
}

void ClipTransformerImpl::reset_parameters()
{
    // CLIP.initialize_parameters: proj_std = width^-0.5 * (2 * layers)^-0.5, attn_std = width^-0.5,
    // fc_std = (2 * width)^-0.5.
    torch::NoGradGuard noGrad;
    const double w = static_cast<double>(options.width());
    const double projStd = std::pow(w, -0.5) * std::pow(2.0 * std::max<int64_t>(options.layers(), 1), -0.5);
    const double attnStd = std::pow(w, -0.5);
    const double fcStd = std::pow(2.0 * w, -0.5);
    for (const auto &m : *resblocks) {
        auto block = m->as<ResidualAttentionBlockImpl>();
        block->attn->reset_parameters(attnStd, projStd);
        torch::nn::init::normal_(block->mlp->c_fc->weight, 0.0, fcStd);
        torch::nn::init::normal_(block->mlp->c_proj->weight, 0.0, projStd);
    }
}

torch::Tensor ClipTransformerImpl::forward(const torch::Tensor &x, const torch::Tensor &mask)
{
    torch::Tensor y = x;
    for (const auto &m : *resblocks)
        y = m->as<ResidualAttentionBlockImpl>()->forward(y, mask);
    return y;
}

torch::Tensor ClipTransformerImpl::forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex,
                                               const torch::Tensor &mask)
{
    const int64_t n = static_cast<int64_t>(resblocks->size());
    if (n == 0)
        return x.index({torch::arange(x.size(0), queryIndex.options()), queryIndex});
    torch::Tensor y = x;
    for (int64_t i = 0; i + 1 < n; ++i)
        y = resblocks[i]->as<ResidualAttentionBlockImpl>()->forward(y, mask);
    return resblocks[n - 1]->as<ResidualAttentionBlockImpl>()->forwardRows(y, queryIndex, mask);
}

} // namespace poisonlab::clip
