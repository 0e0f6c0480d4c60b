#include "poisonlab/core/clip/AttentionPool2d.h"

#include <cmath>

namespace poisonlab::clip {

AttentionPool2dImpl::AttentionPool2dImpl(const AttentionPool2dOptions &o) : options(o)
{
    positional_embedding = register_parameter("positional_embedding",
                                              torch::randn({o.spacial_dim() * o.spacial_dim() + 1, o.embed_dim()}) /
                                                  std::sqrt(static_cast<double>(o.embed_dim())));
    k_proj = register_module("k_proj", torch::nn::Linear(o.embed_dim(), o.embed_dim()));
    q_proj = register_module("q_proj", torch::nn::Linear(o.embed_dim(), o.embed_dim()));
    v_proj = register_module("v_proj", torch::nn::Linear(o.embed_dim(), o.embed_dim()));
    c_proj = register_module("c_proj", torch::nn::Linear(o.embed_dim(), o.output_dim()));
}

torch::Tensor AttentionPool2dImpl::forward(const torch::Tensor &input)
{
    const int64_t n = input.size(0), c = input.size(1);
    const int64_t h = options.heads(), hd = c / h;
    torch::Tensor x = input.flatten(2).transpose(1, 2);                         // [N, HW, C]
    x = torch::cat({x.mean(1, /*keepdim=*/true), x}, 1) + positional_embedding; // [N, HW+1, C]
    const int64_t l = x.size(1);
    // multi_head_attention_forward with separate projections and only the first (mean) query.
    torch::Tensor q = at::addmm(q_proj->bias, x.select(1, 0), q_proj->weight.t()); // [N, C]
    q = (q * (1.0 / std::sqrt(static_cast<double>(hd)))).view({n * h, 1, hd});
    torch::Tensor x2 = x.reshape({n * l, c});
    auto heads = [&](const torch::Tensor &t) { return t.view({n, l, h, hd}).transpose(1, 2).reshape({n * h, l, hd}); };
    torch::Tensor k = heads(at::addmm(k_proj->bias, x2, k_proj->weight.t()));
    torch::Tensor v = heads(at::addmm(v_proj->bias, x2, v_proj->weight.t()));
    torch::Tensor out = at::bmm(at::softmax(at::bmm(q, k.transpose(1, 2)), -1), v).view({n, c});
    return at::addmm(c_proj->bias, out, c_proj->weight.t());
}

} // namespace poisonlab::clip
