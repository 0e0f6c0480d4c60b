#include "poisonlab/core/train/LearningRateSchedule.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace poisonlab::train {

LearningRateSchedule::LearningRateSchedule(double peak, double minimum, long long warmupSteps, long long totalSteps)
    : m_peak(peak), m_min(minimum), m_warmup(std::max(0LL, warmupSteps)), m_total(std::max(1LL, totalSteps))
{
}

double LearningRateSchedule::at(long long step) const
{
    if (step < m_warmup)
        return m_peak * double(step + 1) / double(m_warmup);
    const long long decaySteps = m_total - m_warmup;
    if (decaySteps <= 0)
        return m_peak; // warm-up covers the whole run
    const double progress = std::clamp(double(step - m_warmup) / double(decaySteps), 0.0, 1.0);
    return m_min + 0.5 * (1.0 + std::cos(std::numbers::pi * progress)) * (m_peak - m_min);
}

} // namespace poisonlab::train
