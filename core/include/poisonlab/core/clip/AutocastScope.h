#pragma once

#include <ATen/autocast_mode.h>
#include <c10/core/Device.h>

namespace poisonlab::clip {

/// Turns LibTorch's autocast on for its lifetime, for `device`'s kind (the CPU's or CUDA's: LibTorch
/// 1.13 has no C++ guard of its own): matrix products and convolutions then run in `dtype`
/// (bfloat16, or float16 on CUDA) while the weights, their gradients and everything autocast keeps
/// in float32 stay float32. Restores the previous state on end() or destruction. Disabled, it does
/// nothing. Autocast state is per thread: the scope covers the calling thread's forward pass.
class AutocastScope {
public:
    AutocastScope(bool enabled, c10::DeviceType device, at::ScalarType dtype);
    ~AutocastScope();
    AutocastScope(const AutocastScope &) = delete;
    AutocastScope &operator=(const AutocastScope &) = delete;

    /// Ends the scope early (e.g. before the loss, which stays float32).
    void end();

private:
    bool m_enabled;
    bool m_cuda = false;
    bool m_previous = false;
    at::ScalarType m_previousType = at::kBFloat16;
};

} // namespace poisonlab::clip
