#pragma once

#include "cli/CliCommand.h"

#include <CLI/CLI.hpp>

#include <ostream>

namespace poisonlab::cli {

/// Parses `args` with a CLI11 app built by a command. Returns -1 to go on, or the exit code to
/// return at once: 0 after printing --help, 2 after printing a usage error (which names the
/// offending option).
inline int parseArgs(CLI::App &app, const std::vector<std::string> &args, CliStreams streams)
{
    std::vector<std::string> reversed(args.rbegin(), args.rend()); // CLI11 takes them reversed
    try {
        app.parse(reversed);
    } catch (const CLI::CallForHelp &) {
        streams.out << app.help();
        return 0;
    } catch (const CLI::ParseError &e) {
        streams.err << "poisonlab-cli " << app.get_name() << ": " << e.what() << "\n";
        return 2;
    }
    return -1;
}

} // namespace poisonlab::cli
