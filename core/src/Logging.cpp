#include "poisonlab/core/Logging.h"

#include "poisonlab/core/Paths.h"

#include "LogForwardingSink.h"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <vector>

namespace poisonlab {
namespace fs = std::filesystem;

fs::path initLogging(const std::string &appName, const std::string &consoleLevel)
{
    std::vector<spdlog::sink_ptr> sinks;
    auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    console->set_level(spdlog::level::from_str(consoleLevel));
    console->set_pattern("%^[%l]%$ %v");
    sinks.push_back(console);

    fs::path logFile;
    try {
        const fs::path dir = userDataDir() / "logs";
        fs::create_directories(dir);
        logFile = dir / (appName + ".log");
        auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(logFile.string(), 5 * 1024 * 1024, 5);
        file->set_level(spdlog::level::debug);
        file->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%t] [%l] %v");
        sinks.push_back(file);
    } catch (const std::exception &e) {
        logFile.clear();
        console->log(spdlog::details::log_msg("", spdlog::level::warn, std::string("no log file: ") + e.what()));
    }
    // Listeners of subscribeToLog() (the workbench's log pane) keep receiving after the swap.
    sinks.push_back(LogForwardingSink::instance());
    auto logger = std::make_shared<spdlog::logger>(appName, sinks.begin(), sinks.end());
    logger->set_level(spdlog::level::debug);
    logger->flush_on(spdlog::level::warn);
    spdlog::set_default_logger(logger);
    return logFile;
}

} // namespace poisonlab
