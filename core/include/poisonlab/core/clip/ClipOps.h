#pragma once

#include <torch/types.h>

namespace poisonlab::clip::ops {

/// x @ weight.T + bias for x of any rank, as one addmm over the flattened rows (a fused GEMM with
/// the bias as its initial value, no separate broadcast add).
torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias);

/// OpenAI's QuickGELU, x * sigmoid(1.702 x). Under autograd it saves only x and computes the
/// gradient in one pass; without grad it works in a single fused pass too.
torch::Tensor quickGelu(const torch::Tensor &x);

/// Additive causal mask [L, L]: 0 on and below the diagonal, -inf above (OpenAI's
/// build_attention_mask), cached per length, dtype and device.
torch::Tensor causalMask(int64_t length, const torch::TensorOptions &options);

} // namespace poisonlab::clip::ops
