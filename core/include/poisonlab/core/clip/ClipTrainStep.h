#pragma once

#include "poisonlab/core/clip/ClipModel.h"

#include "poisonlab/core/clip/FusedAdamW.h"

#include <memory>
#include <string>

namespace poisonlab::clip {

/// Mixed precision of a training step: `bf16` runs the forward pass under autocast in bfloat16
/// (CPU with AVX512-BF16/AMX, or CUDA), `fp16` in float16 with dynamic loss scaling (CUDA only).
enum class ClipPrecision { Float32, BFloat16, Float16 };
ClipPrecision parsePrecision(const std::string &name); ///< "fp32", "bf16", "fp16"; else Error

struct ClipTrainStepOptions {
    /// The paper's fine-tuning optimiser: AdamW(lr 1e-5, betas (0.9, 0.98), eps 1e-6, wd 0.2).
    TORCH_ARG(double, lr) = 1e-5;
    TORCH_ARG(double, beta1) = 0.9;
    TORCH_ARG(double, beta2) = 0.98;
    TORCH_ARG(double, eps) = 1e-6;
    TORCH_ARG(double, weight_decay) = 0.2;
    TORCH_ARG(ClipPrecision, precision) = ClipPrecision::Float32;
    /// On CUDA: allow TF32 matrix products and convolutions (float32 steps).
    TORCH_ARG(bool, allow_tf32) = true;
};

/// One CLIP fine-tuning step as the paper trains: both towers forward, logits scaled by
/// exp(logit_scale), symmetric cross-entropy, backward, AdamW. Owns the optimiser (whose state
/// checkpoints with it through optimizer()).
class ClipTrainStep {
public:
    ClipTrainStep(ClipModel model, const ClipTrainStepOptions &options = {});

    /// pixels [B, 3, R, R] float normalised, tokens [B, L] int64, both on the model's device.
    /// Returns the loss (before the update) as a float.
    double step(const torch::Tensor &pixels, const torch::Tensor &tokens);

    torch::optim::AdamW &optimizer() { return *m_optimizer; }
    const ClipTrainStepOptions &options() const { return m_options; }

private:
    ClipModel m_model;
    ClipTrainStepOptions m_options;
    std::unique_ptr<FusedAdamW> m_optimizer;
    double m_lossScale = 65536.0; ///< fp16 dynamic loss scale
    int m_goodSteps = 0;
};

} // namespace poisonlab::clip
