#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <vector>

/// Measures how late the GUI thread's event loop serves a precise timer: every `intervalMs` the
/// timer should fire; the lateness of each tick (actual gap minus the interval, >= 0) is what a
/// user feels as a stutter. Percentiles over the ticks of one measurement.
class EventLoopProbe : public QObject {
public:
    explicit EventLoopProbe(int intervalMs = 5, QObject *parent = nullptr);
    void start();
    void stop();
    std::size_t ticks() const { return m_lateMs.size(); }
    /// The p-th percentile (0..100) of the lateness in ms; 0 without ticks.
    double percentile(double p) const;
    double maxLateMs() const;
    double seconds() const { return m_lastNs < 0 ? 0 : double(m_lastNs) / 1e9; } ///< start to last tick

private:
    void tick();

    int m_interval;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = -1;
    std::vector<double> m_lateMs;
};
