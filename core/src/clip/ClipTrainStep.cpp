#include "poisonlab/core/clip/ClipTrainStep.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipLoss.h"
#include "poisonlab/core/train/ComputeDevices.h"

#include "poisonlab/core/clip/AutocastScope.h"

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

ClipTrainStep::ClipTrainStep(ClipModel model, const ClipTrainStepOptions &options)
    : m_model(std::move(model)), m_options(options)
{
    auto opts = torch::optim::AdamWOptions(options.lr())
                    .betas({options.beta1(), options.beta2()})
                    .eps(options.eps())
                    .weight_decay(options.weight_decay());
    const bool cuda = m_model->logitScale().device().is_cuda();
    const char *names[] = {"fp32", "bf16", "fp16"};
    if (auto problem =
            train::precisionProblem(names[int(options.precision())], cuda ? "cuda" : "cpu", train::cpuFlags()))
        throw Error(*problem);
    m_optimizer = std::make_unique<FusedAdamW>(m_model->parameters(), opts);
    if (cuda && options.allow_tf32()) {
        at::globalContext().setAllowTF32CuBLAS(true);
        at::globalContext().setAllowTF32CuDNN(true);
    }
}

double ClipTrainStep::step(const torch::Tensor &pixels, const torch::Tensor &tokens)
{
    m_model->train();
    const bool amp = m_options.precision() != ClipPrecision::Float32;
    const bool fp16 = m_options.precision() == ClipPrecision::Float16;
    m_optimizer->zero_grad();
    torch::Tensor loss;
    {
        AutocastScope autocast(amp, pixels.device().type(), fp16 ? at::kHalf : at::kBFloat16);
        const torch::Tensor img = m_model->encodeImage(pixels);
        const torch::Tensor txt = m_model->encodeText(tokens);
        autocast.end(); // the loss and the logit scale stay float32
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
