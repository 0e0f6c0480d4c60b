#include "poisonlab/core/clip/AutocastScope.h"

namespace poisonlab::clip {

AutocastScope::AutocastScope(bool enabled, c10::DeviceType device, at::ScalarType dtype)
    : m_enabled(enabled), m_cuda(device == c10::DeviceType::CUDA)
{
    if (!m_enabled)
        return;
    if (m_cuda) {
        m_previous = at::autocast::is_enabled();
        m_previousType = at::autocast::get_autocast_gpu_dtype();
        at::autocast::set_autocast_gpu_dtype(dtype);
        at::autocast::set_enabled(true);
    } else {
        m_previous = at::autocast::is_cpu_enabled();
        m_previousType = at::autocast::get_autocast_cpu_dtype();
        at::autocast::set_autocast_cpu_dtype(dtype);
        at::autocast::set_cpu_enabled(true);
    }
    at::autocast::increment_nesting();
}

AutocastScope::~AutocastScope()
{
    end();
}

void AutocastScope::end()
{
    if (!m_enabled)
        return;
    m_enabled = false;
    // The cast weights are cached for the scope; the outermost scope drops them.
    if (at::autocast::decrement_nesting() == 0)
        at::autocast::clear_cache();
    if (m_cuda) {
        at::autocast::set_enabled(m_previous);
        at::autocast::set_autocast_gpu_dtype(m_previousType);
    } else {
        at::autocast::set_cpu_enabled(m_previous);
        at::autocast::set_autocast_cpu_dtype(m_previousType);
    }
}

} // namespace poisonlab::clip
