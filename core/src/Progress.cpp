#include "poisonlab/core/Progress.h"

#include "poisonlab/core/Error.h"

namespace poisonlab {

ProgressReporter::~ProgressReporter() = default;

void ProgressReporter::throwIfCancelled() const
{
    if (wasCancelled())
        throw CancelledError();
}

CallbackProgress::CallbackProgress(Callback callback) : m_callback(std::move(callback)) {}

void CallbackProgress::report(const ProgressEvent &event)
{
    if (m_callback)
        m_callback(event);
}

bool CallbackProgress::wasCancelled() const
{
    return m_cancelled.load(std::memory_order_relaxed);
}

void CallbackProgress::cancel() noexcept
{
    m_cancelled.store(true, std::memory_order_relaxed);
}

} // namespace poisonlab
