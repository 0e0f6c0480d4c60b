#include "poisonlab/core/train/MetricsSink.h"

namespace poisonlab::train {

MetricsSink::~MetricsSink() = default;

MemoryMetricsSink::MemoryMetricsSink(Callback callback) : m_callback(std::move(callback))
{
}

void MemoryMetricsSink::stepRecord(const nlohmann::json &record)
{
    {
        std::lock_guard lock(m_mutex);
        m_steps.push_back(record);
    }
    if (m_callback)
        m_callback(record);
}

void MemoryMetricsSink::epochRecord(const nlohmann::json &record)
{
    {
        std::lock_guard lock(m_mutex);
        m_epochs.push_back(record);
    }
    if (m_callback)
        m_callback(record);
}

std::vector<nlohmann::json> MemoryMetricsSink::steps() const
{
    std::lock_guard lock(m_mutex);
    return m_steps;
}

std::vector<nlohmann::json> MemoryMetricsSink::epochs() const
{
    std::lock_guard lock(m_mutex);
    return m_epochs;
}

} // namespace poisonlab::train
