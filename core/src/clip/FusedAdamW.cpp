#include "poisonlab/core/clip/FusedAdamW.h"

#include <ATen/Parallel.h>
#include <c10/util/string_utils.h>

#include <cmath>

namespace poisonlab::clip {
namespace {

// Plain loops the compiler vectorises; sqrt without errno so it becomes a vector instruction.
#if defined(__GNUC__) && !defined(__clang__)
__attribute__((optimize("no-math-errno")))
#endif
void adamwKernel(float *__restrict p, const float *__restrict g, float *__restrict m, float *__restrict v,
                 int64_t n, float decay, float b1, float oneMinusB1, float b2, float oneMinusB2, float bc2Sqrt,
                 float eps, float negStepSize)
{
    for (int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float pi = p[i] * decay;
        const float mi = m[i] * b1 + gi * oneMinusB1;
        const float vi = v[i] * b2 + (gi * gi) * oneMinusB2;
        const float denom = std::sqrt(vi) / bc2Sqrt + eps;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi + negStepSize * (mi / denom);
    }
}

} // namespace

torch::Tensor FusedAdamW::step(LossClosure closure)
{
    torch::NoGradGuard noGrad;
    torch::Tensor loss;
    if (closure) {
        at::AutoGradMode enable(true);
        loss = closure();
    }
    std::vector<torch::Tensor> generic;
    for (auto &group : param_groups()) {
        auto &o = static_cast<torch::optim::AdamWOptions &>(group.options());
        for (auto &p : group.params()) {
            if (!p.grad().defined())
                continue;
            const torch::Tensor &grad = p.grad();
            const bool fast = !o.amsgrad() && p.device().is_cpu() && p.scalar_type() == torch::kFloat32 &&
                              grad.scalar_type() == torch::kFloat32 && p.is_contiguous() && grad.is_contiguous() &&
                              !grad.is_sparse();
            const std::string key = c10::guts::to_string(p.unsafeGetTensorImpl());
            auto it = state_.find(key);
            if (it == state_.end()) {
                auto st = std::make_unique<torch::optim::AdamWParamState>();
                st->step(0);
                st->exp_avg(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                st->exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                if (o.amsgrad())
                    st->max_exp_avg_sq(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
                it = state_.emplace(key, std::move(st)).first;
            }
            auto &st = static_cast<torch::optim::AdamWParamState &>(*it->second);
            if (!fast || !st.exp_avg().is_contiguous() || !st.exp_avg_sq().is_contiguous()) {
                // torch::optim::AdamW's arithmetic (1.13), for everything the fast path does not cover.
                const auto [b1, b2] = o.betas();
                if (o.weight_decay() != 0)
                    p.mul_(1 - o.lr() * o.weight_decay());
                st.step(st.step() + 1);
                const double bc1 = 1 - std::pow(b1, st.step());
                const double bc2 = 1 - std::pow(b2, st.step());
                st.exp_avg().mul_(b1).add_(grad, 1 - b1);
                st.exp_avg_sq().mul_(b2).addcmul_(grad, grad, 1 - b2);
                torch::Tensor denom;
                if (o.amsgrad()) {
                    torch::max_out(st.max_exp_avg_sq(), st.exp_avg_sq(), st.max_exp_avg_sq());
                    denom = (st.max_exp_avg_sq().sqrt() / std::sqrt(bc2)).add_(o.eps());
                } else {
                    denom = (st.exp_avg_sq().sqrt() / std::sqrt(bc2)).add_(o.eps());
                }
                p.addcdiv_(st.exp_avg(), denom, -o.lr() / bc1);
                continue;
            }
            const auto [b1, b2] = o.betas();
            st.step(st.step() + 1);
            const double bc1 = 1 - std::pow(b1, st.step());
            const double bc2 = 1 - std::pow(b2, st.step());
            float *pp = p.data_ptr<float>();
            const float *gp = grad.data_ptr<float>();
            float *mp = st.exp_avg().data_ptr<float>();
            float *vp = st.exp_avg_sq().data_ptr<float>();
            const float decay = static_cast<float>(1 - o.lr() * o.weight_decay());
            const float fb1 = static_cast<float>(b1), fb2 = static_cast<float>(b2);
            const float omb1 = static_cast<float>(1 - b1), omb2 = static_cast<float>(1 - b2);
            const float bc2Sqrt = static_cast<float>(std::sqrt(bc2));
            const float eps = static_cast<float>(o.eps());
            const float negStep = static_cast<float>(-o.lr() / bc1);
            at::parallel_for(0, p.numel(), 1 << 16, [&](int64_t begin, int64_t end) {
                adamwKernel(pp + begin, gp + begin, mp + begin, vp + begin, end - begin, decay, fb1, omb1, fb2, omb2,
                            bc2Sqrt, eps, negStep);
            });
            // Writing through data_ptr bypasses autograd's bookkeeping: bump the version counter as
            // an in-place op would, so caches keyed on it (the Evaluator's embeddings) see the change.
            p.unsafeGetTensorImpl()->bump_version();
        }
    }
    return loss;
}

} // namespace poisonlab::clip
