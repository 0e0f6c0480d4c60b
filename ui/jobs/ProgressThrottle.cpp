#include "jobs/ProgressThrottle.h"

namespace poisonlab::ui {

ProgressThrottle::ProgressThrottle(int intervalMs, Predicate deliverEvery)
    : m_intervalMs(intervalMs), m_deliverEvery(std::move(deliverEvery))
{
}

bool ProgressThrottle::admit(const ProgressEvent &event, std::int64_t nowMs)
{
    if (m_deliverEvery && m_deliverEvery(event))
        return true;
    const bool endsStage = event.total > 0 && event.done >= event.total;
    const bool newStage = !m_anyDelivered || event.stage != m_lastStage;
    if (!endsStage && !newStage && nowMs - m_lastMs < m_intervalMs)
        return false;
    m_anyDelivered = true;
    m_lastStage = event.stage;
    m_lastMs = nowMs;
    return true;
}

} // namespace poisonlab::ui
