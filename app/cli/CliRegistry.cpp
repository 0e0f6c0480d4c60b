#include "cli/CliCommand.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Logging.h"
#include "poisonlab/core/Version.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <ostream>

namespace poisonlab::cli {

CliCommand::~CliCommand() = default;

namespace {

std::map<std::string, CliCommandFactory> &registry()
{
    static std::map<std::string, CliCommandFactory> commands;
    return commands;
}

void printHelp(std::ostream &os)
{
    os << "poisonlab-cli - data-poisoning experiments on CLIP-style encoders, headless\n\n"
          "Usage: poisonlab-cli [--verbose|--quiet] <command> [options]\n"
          "       poisonlab-cli <command> --help\n\n"
          "Commands:\n";
    size_t width = 0;
    auto commands = cliCommands();
    for (const auto &c : commands)
        width = std::max(width, c->name().size());
    for (const auto &c : commands)
        os << "  " << c->name() << std::string(width - c->name().size() + 2, ' ') << c->summary() << "\n";
    os << "\nOptions:\n"
          "  -h, --help     show this help\n"
          "  --version      show the version of PoisonLab and LibTorch\n"
          "  -v, --verbose  debug messages on stderr\n"
          "  -q, --quiet    only warnings and errors on stderr\n";
}

} // namespace

bool registerCliCommand(const std::string &name, CliCommandFactory factory)
{
    registry()[name] = factory;
    return true;
}

std::vector<std::unique_ptr<CliCommand>> cliCommands()
{
    std::vector<std::unique_ptr<CliCommand>> out;
    for (const auto &[name, factory] : registry())
        out.push_back(factory());
    return out;
}

int runCli(int argc, char **argv, CliStreams streams)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    std::string level = "info";
    while (!args.empty() && args.front().size() > 1 && args.front()[0] == '-') {
        const std::string a = args.front();
        if (a == "-h" || a == "--help") {
            printHelp(streams.out);
            return 0;
        }
        if (a == "--version") {
            streams.out << versionLine() << "\n";
            return 0;
        }
        if (a == "-v" || a == "--verbose")
            level = "debug";
        else if (a == "-q" || a == "--quiet")
            level = "warn";
        else {
            streams.err << "poisonlab-cli: unknown option '" << a << "' (see poisonlab-cli --help)\n";
            return 2;
        }
        args.erase(args.begin());
    }
    if (args.empty()) {
        printHelp(streams.err);
        return 2;
    }
    const std::string name = args.front();
    args.erase(args.begin());
    auto it = registry().find(name);
    if (it == registry().end()) {
        streams.err << "poisonlab-cli: unknown command '" << name << "' (see poisonlab-cli --help)\n";
        return 2;
    }
    initLogging("poisonlab-cli", level);
    auto command = it->second();
    try {
        return command->run(args, streams);
    } catch (const CLI::ParseError &e) {
        streams.err << "poisonlab-cli " << name << ": " << e.what() << "\n";
        return 2;
    } catch (const CancelledError &) {
        streams.err << "poisonlab-cli " << name << ": cancelled\n";
        return 130;
    } catch (const std::exception &e) {
        streams.err << "poisonlab-cli " << name << ": error: " << e.what() << "\n";
        return 1;
    }
}

} // namespace poisonlab::cli
