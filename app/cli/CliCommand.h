#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace poisonlab::cli {

/// Where a command writes: results on `out` (often JSON other programs read), messages on `err`.
struct CliStreams {
    std::ostream &out;
    std::ostream &err;
};

/// One `poisonlab-cli <name> ...` sub-command. Each lives in its own file under app/cli/
/// and registers itself with POISONLAB_REGISTER_CLI_COMMAND, so adding a command edits nothing else.
class CliCommand {
public:
    virtual ~CliCommand();
    virtual std::string name() const = 0;
    /// One line for `poisonlab-cli --help`.
    virtual std::string summary() const = 0;
    /// `args` excludes the program and command names. Returns the process exit code:
    /// 0 success, 1 failure while working, 2 bad usage or bad input.
    virtual int run(const std::vector<std::string> &args, CliStreams streams) = 0;
};

using CliCommandFactory = std::unique_ptr<CliCommand> (*)();

/// Adds a command factory to the registry; used by the registration macro.
bool registerCliCommand(const std::string &name, CliCommandFactory factory);

/// The commands known to this build, sorted by name.
std::vector<std::unique_ptr<CliCommand>> cliCommands();

/// The whole CLI: `--help`, `--version`, then dispatch to a command. Exceptions from commands
/// become a message on `err` and exit code 1 (poisonlab::Error) or 2 (usage errors).
int runCli(int argc, char **argv, CliStreams streams);

} // namespace poisonlab::cli

#define POISONLAB_REGISTER_CLI_COMMAND(ClassName)                                                                      \
    namespace {                                                                                                        \
    const bool ClassName##_registered = ::poisonlab::cli::registerCliCommand(                                          \
        ClassName().name(),                                                                                            \
        []() -> std::unique_ptr<::poisonlab::cli::CliCommand> { return std::make_unique<ClassName>(); });              \
    }
