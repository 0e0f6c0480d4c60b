#pragma once

#include <torch/optim/adamw.h>

namespace poisonlab::clip {

/// torch::optim::AdamW with the same update, state and serialisation, computed in one pass over
/// each float32 CPU parameter (read p, g, m, v; write p, m, v) instead of eight tensor operations
/// with temporaries. The per-element arithmetic is PyTorch's, in PyTorch's order:
///   p *= 1 - lr*wd;  m = m*b1 + g*(1-b1);  v = v*b2 + g*g*(1-b2);
///   p += -(lr/bc1) * m / (sqrt(v)/sqrt(bc2) + eps)
/// Other parameters (CUDA, other dtypes, amsgrad) take torch::optim::AdamW's own path.
/// For CLIP the 49408-row token embedding dominates the optimiser's memory traffic.
class FusedAdamW : public torch::optim::AdamW {
public:
    using torch::optim::AdamW::AdamW;
    torch::Tensor step(LossClosure closure = nullptr) override;
};

} // namespace poisonlab::clip
