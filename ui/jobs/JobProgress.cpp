#include "jobs/JobProgress.h"

namespace poisonlab::ui {

JobProgress::JobProgress(ProgressThrottle throttle, Forward forward)
    : m_throttle(std::move(throttle)), m_forward(std::move(forward))
{
    m_clock.start();
}

void JobProgress::report(const ProgressEvent &event)
{
    if (m_forward && m_throttle.admit(event, m_clock.elapsed()))
        m_forward(event);
}

} // namespace poisonlab::ui
