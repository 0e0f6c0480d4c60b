#include "cli/RunProgressPrinter.h"

#include <cstdio>
#include <ostream>

namespace poisonlab::cli {

RunProgressPrinter::RunProgressPrinter(std::ostream &out) : m_out(out)
{
}

void RunProgressPrinter::print(const ProgressEvent &e)
{
    auto value = [&](const char *key) {
        auto it = e.values.find(key);
        return it == e.values.end() ? 0.0 : it->second;
    };
    if (e.stage == "train" && e.values.count("mean_loss")) { // an epoch's end: no step values
        char line[128];
        std::snprintf(line, sizeof line, "[train] epoch %.0f done  mean loss %.4f", value("epoch"), value("mean_loss"));
        m_out << line << "\n";
        m_lastMessage.clear();
        return;
    }
    if (e.stage == "train") {
        const auto now = std::chrono::steady_clock::now();
        const bool last = e.total > 0 && e.done >= e.total;
        if (!last && now - m_last < std::chrono::seconds(2))
            return;
        m_last = now;
        char line[256];
        std::snprintf(line, sizeof line,
                      "[train] step %lld/%lld  epoch %.0f  loss %.4f  lr %.2e  %.0f samples/s  ETA %.0fs", e.done,
                      e.total, value("epoch"), value("loss"), value("lr"), value("samples_per_s"), value("eta_s"));
        m_out << line << "\n";
        m_lastMessage.clear();
        return;
    }
    if (e.message.empty())
        return;
    // Long stages repeat their message with every chunk (42 "embedding captions" per evaluation):
    // a line is printed when it differs from the one before it.
    std::string line = "[" + e.stage + "] " + e.message;
    if (line == m_lastMessage)
        return;
    m_out << line << "\n";
    m_lastMessage = std::move(line);
}

} // namespace poisonlab::cli
