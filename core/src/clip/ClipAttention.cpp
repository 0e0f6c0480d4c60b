#include "poisonlab/core/clip/ClipAttention.h"

#include "poisonlab/core/clip/ClipOps.h"

#include <torch/nn/init.h>

#include <cmath>

namespace poisonlab::clip {

ClipAttentionImpl::ClipAttentionImpl(const ClipAttentionOptions &o) : options(o)
{
    TORCH_CHECK(o.width() % o.heads() == 0, "attention width must be divisible by its heads");
    in_proj_weight = register_parameter("in_proj_weight", torch::empty({3 * o.width(), o.width()}));
    in_proj_bias = register_parameter("in_proj_bias", torch::zeros({3 * o.width()}));
    out_proj = register_module("out_proj", torch::nn::Linear(o.width(), o.width()));
    reset_parameters(std::pow(o.width(), -0.5), std::pow(o.width(), -0.5));
}

void ClipAttentionImpl::reset_parameters(double inStd, double outStd)
{
    torch::NoGradGuard noGrad;
    torch::nn::init::normal_(in_proj_weight, 0.0, inStd);
    in_proj_bias.zero_();
    torch::nn::init::normal_(out_proj->weight, 0.0, outStd);
    out_proj->bias.zero_();
}

torch::Tensor ClipAttentionImpl::forward(const torch::Tensor &x, const torch::Tensor &mask)
{
    const int64_t n = x.size(0), l = x.size(1), d = x.size(2);
    const int64_t h = options.heads(), hd = d / h;
    // One GEMM for q, k and v, then a single copy into [3, N*H, L, hd] for the batched GEMMs.
    torch::Tensor qkv = at::addmm(in_proj_bias, x.reshape({n * l, d}), in_proj_weight.t());
    qkv = qkv.view({n, l, 3, h, hd}).permute({2, 0, 3, 1, 4}).contiguous().view({3, n * h, l, hd});
    // Scale q before the product, as torch.nn.MultiheadAttention does.
    torch::Tensor q = qkv[0] * (1.0 / std::sqrt(static_cast<double>(hd)));
    torch::Tensor k = qkv[1], v = qkv[2];
    torch::Tensor scores = mask.defined() ? at::baddbmm(mask, q, k.transpose(1, 2)) : at::bmm(q, k.transpose(1, 2));
    torch::Tensor attn = at::softmax(scores, -1);
    torch::Tensor out = at::bmm(attn, v).view({n, h, l, hd}).permute({0, 2, 1, 3}).reshape({n * l, d});
    return at::addmm(out_proj->bias, out, out_proj->weight.t()).view({n, l, d});
}

torch::Tensor ClipAttentionImpl::forwardRows(const torch::Tensor &x, const torch::Tensor &queryIndex,
                                             const torch::Tensor &mask)
{
    const int64_t n = x.size(0), l = x.size(1), d = x.size(2);
    const int64_t h = options.heads(), hd = d / h;
    const torch::Tensor rows = torch::arange(n, queryIndex.options());
    torch::Tensor xq = x.index({rows, queryIndex}); // [N, D]
    torch::Tensor q = at::addmm(in_proj_bias.narrow(0, 0, d), xq, in_proj_weight.narrow(0, 0, d).t());
    q = (q * (1.0 / std::sqrt(static_cast<double>(hd)))).view({n * h, 1, hd});
    torch::Tensor kv =
        at::addmm(in_proj_bias.narrow(0, d, 2 * d), x.reshape({n * l, d}), in_proj_weight.narrow(0, d, 2 * d).t());
    kv = kv.view({n, l, 2, h, hd}).permute({2, 0, 3, 1, 4}).contiguous().view({2, n * h, l, hd});
    torch::Tensor scores;
    if (mask.defined()) {
        // The mask rows of the queried positions, shared by the heads: [N*H, 1, L].
        torch::Tensor m = mask.index_select(0, queryIndex).unsqueeze(1).expand({n, h, l}).reshape({n * h, 1, l});
        scores = at::baddbmm(m, q, kv[0].transpose(1, 2));
    } else {
        scores = at::bmm(q, kv[0].transpose(1, 2));
    }
    torch::Tensor out = at::bmm(at::softmax(scores, -1), kv[1]).view({n, d});
    return at::addmm(out_proj->bias, out, out_proj->weight.t());
}

} // namespace poisonlab::clip
