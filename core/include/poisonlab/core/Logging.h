#pragma once

#include <filesystem>
#include <string>

namespace poisonlab {

/// Sets up the default spdlog logger: coloured console output on stderr at `consoleLevel`
/// ("trace", "debug", "info", "warn", "error", "off") plus a rotating file (5 x 5 MB) at
/// userDataDir()/logs/<appName>.log at debug level. Safe to call more than once; a log file
/// that cannot be opened only costs the file sink. The logger also feeds subscribeToLog()'s
/// listeners (LogListener.h). Returns the log file path (empty if none).
std::filesystem::path initLogging(const std::string &appName, const std::string &consoleLevel = "info");

} // namespace poisonlab
