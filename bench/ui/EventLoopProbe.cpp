#include "EventLoopProbe.h"

#include <algorithm>
#include <cmath>

EventLoopProbe::EventLoopProbe(int intervalMs, QObject *parent) : QObject(parent), m_interval(intervalMs)
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &EventLoopProbe::tick);
}

void EventLoopProbe::start()
{
    m_lateMs.clear();
    m_lastNs = -1;
    m_clock.start();
    m_timer.start();
}

void EventLoopProbe::stop()
{
    m_timer.stop();
}

void EventLoopProbe::tick()
{
    const qint64 now = m_clock.nsecsElapsed();
    if (m_lastNs >= 0)
        m_lateMs.push_back(std::max(0.0, double(now - m_lastNs) / 1e6 - m_interval));
    m_lastNs = now;
}

double EventLoopProbe::percentile(double p) const
{
    if (m_lateMs.empty())
        return 0;
    std::vector<double> sorted = m_lateMs;
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * double(sorted.size())));
    return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double EventLoopProbe::maxLateMs() const
{
    return m_lateMs.empty() ? 0 : *std::max_element(m_lateMs.begin(), m_lateMs.end());
}
