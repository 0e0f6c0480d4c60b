#include "poisonlab/core/clip/ClipTrainStep.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipLoss.h"

#include <ATen/autocast_mode.h>

#include <cmath>

namespace poisonlab::clip {

ClipPrecision parsePrecision(const std::string &name)
{
    if (name == "fp32")
        return ClipPrecision::Float32;
    if (name == "bf16")
        return ClipPrecision::BFloat16;
    if (name == "fp16")
        return ClipPrecision::Float16;
    throw Error("unknown precision \"" + name + "\" (expected fp32, bf16 or fp16)");
}

namespace {

/// Enables CUDA autocast in a scope (LibTorch has no C++ autocast guard of its own in 1.13).
class CudaAutocastScope {
public:
    CudaAutocastScope(bool enabled, at::ScalarType dtype) : m_enabled(enabled)
    {
        if (!m_enabled)
            return;
        m_previous = at::autocast::is_enabled();
        m_previousType = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
        at::autocast::increment_nesting();
    }
    ~CudaAutocastScope()
    {
        if (!m_enabled)
            return;
        if (at::autocast::decrement_nesting() == 0)
            at::autocast::clear_cache();
        at::autocast::set_enabled(m_previous);
        at::autocast::set_autocast_gpu_dtype(m_previousType);
    }

private:
    bool m_enabled;
    bool m_previous = false;
    at::ScalarType m_previousType = at::kHalf;
};

} // namespace

ClipTrainStep::ClipTrainStep(ClipModel model, const ClipTrainStepOptions &options)
    : m_model(std::move(model)), m_options(options)
{
    auto opts = torch::optim::AdamWOptions(options.lr())
                    .betas({options.beta1(), options.beta2()})
                    .eps(options.eps())
                    .weight_decay(options.weight_decay());
    m_optimizer = std::make_unique<FusedAdamW>(m_model->parameters(), opts);
    const bool cuda = m_model->logitScale().device().is_cuda();
    if (cuda && options.allow_tf32()) {
        at::globalContext().setAllowTF32CuBLAS(true);
        at::globalContext().setAllowTF32CuDNN(true);
    }
}

double ClipTrainStep::step(const torch::Tensor &pixels, const torch::Tensor &tokens)
{
    m_model->train();
    const bool cuda = pixels.device().is_cuda();
    const bool amp = cuda && m_options.precision() != ClipPrecision::Float32;
    const bool fp16 = amp && m_options.precision() == ClipPrecision::Float16;
    m_optimizer->zero_grad();
    torch::Tensor loss;
    {
        CudaAutocastScope autocast(amp, fp16 ? at::kHalf : at::kBFloat16);
        const torch::Tensor img = m_model->encodeImage(pixels);
        const torch::Tensor txt = m_model->encodeText(tokens);
        loss = clipContrastiveLoss(img.to(torch::kFloat32), txt.to(torch::kFloat32), m_model->logitScale());
    }
    if (!fp16) {
        loss.backward();
        m_optimizer->step();
        return loss.item<double>();
    }
    // float16: dynamic loss scaling as torch.cuda.amp.GradScaler (skip the step on inf/nan).
    (loss * m_lossScale).backward();
    bool finite = true;
    {
        torch::NoGradGuard noGrad;
        for (auto &p : m_model->parameters()) {
            if (!p.grad().defined())
                continue;
            p.grad().div_(m_lossScale);
            finite = finite && p.grad().isfinite().all().item<bool>();
        }
    }
    if (finite) {
        m_optimizer->step();
        if (++m_goodSteps >= 2000) {
            m_lossScale *= 2.0;
            m_goodSteps = 0;
        }
    } else {
        m_lossScale /= 2.0;
        m_goodSteps = 0;
    }
    return loss.item<double>();
}

} // namespace poisonlab::clip
