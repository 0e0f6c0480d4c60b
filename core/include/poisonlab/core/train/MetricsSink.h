#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace poisonlab::train {

/// Receives the trainer's records, e.g. to append them to a run's metrics.jsonl. Called on the
/// thread that runs Trainer::run().
///
/// Step record:  {"type":"step","epoch":E,"step":S,"loss":L,"lr":LR,"logit_scale":T,
///                "samples_per_s":X,"batch_size":B}   (S is the 1-based global step just done)
/// Epoch record: {"type":"epoch","epoch":E,"step":S,"mean_loss":L,"lr":LR,"logit_scale":T,
///                "seconds":D, ...values returned by the epoch hook}
/// After a resume, steps after the checkpoint are repeated with the same values; a sink that
/// keeps an old file may drop its records whose "step" exceeds Trainer::resumedFromStep().
class MetricsSink {
public:
    virtual ~MetricsSink();
    virtual void stepRecord(const nlohmann::json &record) = 0;
    virtual void epochRecord(const nlohmann::json &record) = 0;
};

/// Keeps every record in memory (tests, GUI buffers) and optionally forwards it to a callback.
class MemoryMetricsSink final : public MetricsSink {
public:
    using Callback = std::function<void(const nlohmann::json &)>;
    explicit MemoryMetricsSink(Callback callback = {});
    void stepRecord(const nlohmann::json &record) override;
    void epochRecord(const nlohmann::json &record) override;
    std::vector<nlohmann::json> steps() const;
    std::vector<nlohmann::json> epochs() const;

private:
    Callback m_callback;
    mutable std::mutex m_mutex;
    std::vector<nlohmann::json> m_steps;
    std::vector<nlohmann::json> m_epochs;
};

} // namespace poisonlab::train
