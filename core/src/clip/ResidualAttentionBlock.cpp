#include "poisonlab/core/clip/ResidualAttentionBlock.h"

#include "poisonlab/core/clip/ClipOps.h"

namespace poisonlab::clip {

ClipMlpImpl::ClipMlpImpl(int64_t width)
{
    c_fc = register_module("c_fc", torch::nn::Linear(width, width * 4));
    c_proj = register_module("c_proj", torch::nn::Linear(width * 4, width));
}

torch::Tensor ClipMlpImpl::forward(const torch::Tensor &x)
{
    return ops::linear(ops::quickGelu(ops::linear(x, c_fc->weight, c_fc->bias)), c_proj->weight, c_proj->bias);
}

namespace {

/// out + residual. The MLP's output is a fresh GEMM result nothing else holds, so the residual
/// goes in place; under autocast that output is bfloat16 and the sum is formed out of place, so the
/// residual stream stays float32 (the layer norms then always see float32).
torch::Tensor addResidual(torch::Tensor out, const torch::Tensor &residual)
{
    if (out.scalar_type() == residual.scalar_type())
        return out.add_(residual);
    return residual + out;
}

} // namespace

ResidualAttentionBlockImpl::ResidualAttentionBlockImpl(const ResidualAttentionBlockOptions &o) : options(o)
{
    attn = register_module("attn", ClipAttention(ClipAttentionOptions(o.width(), o.heads())));
    ln_1 = register_module("ln_1", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.width()})));
    mlp = register_module("mlp", ClipMlp(o.width()));
    ln_2 = register_module("ln_2", torch::nn::LayerNorm(torch::nn::LayerNormOptions({o.width()})));
}

torch::Tensor ResidualAttentionBlockImpl::forward(const torch::Tensor &x, const torch::Tensor &mask)
{
    torch::Tensor y = x + attn->forward(ln_1->forward(x), mask);
    return addResidual(mlp->forward(ln_2->forward(y)), y);
}

torch::Tensor ResidualAttentionBlockImpl::forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex,
                                                      const torch::Tensor &mask)
{
    const torch::Tensor rows = torch::arange(x.size(0), queryIndex.options());
    torch::Tensor y = x.index({rows, queryIndex}) + attn->forwardRows(ln_1->forward(x), queryIndex, mask);
    return addResidual(mlp->forward(ln_2->forward(y)), y);
}

} // namespace poisonlab::clip
