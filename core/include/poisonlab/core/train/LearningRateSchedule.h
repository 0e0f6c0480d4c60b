#pragma once

namespace poisonlab::train {

/// open_clip's cosine schedule with linear warm-up, as a pure function of the step (0-based):
///   step <  warmup: lr = peak * (step + 1) / warmup
///   step >= warmup: lr = min + 0.5 * (1 + cos(pi * (step - warmup) / (total - warmup))) * (peak - min)
/// It holds no state, so a resumed run gets the same values from the step number alone.
class LearningRateSchedule {
public:
    LearningRateSchedule(double peak, double minimum, long long warmupSteps, long long totalSteps);
    double at(long long step) const;
    long long totalSteps() const { return m_total; }
    long long warmupSteps() const { return m_warmup; }

private:
    double m_peak;
    double m_min;
    long long m_warmup;
    long long m_total;
};

} // namespace poisonlab::train
