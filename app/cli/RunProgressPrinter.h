#pragma once

#include "poisonlab/core/Progress.h"

#include <chrono>
#include <iosfwd>
#include <string>

namespace poisonlab::cli {

/// Turns progress events into short lines for a terminal: each message (once while it repeats),
/// and training steps at most every couple of seconds (step/total, epoch, loss, lr, samples/s,
/// ETA).
class RunProgressPrinter {
public:
    explicit RunProgressPrinter(std::ostream &out);
    void print(const ProgressEvent &event);

private:
    std::ostream &m_out;
    std::chrono::steady_clock::time_point m_last{};
    std::string m_lastMessage; ///< the last message line printed, until another line follows
};

} // namespace poisonlab::cli
