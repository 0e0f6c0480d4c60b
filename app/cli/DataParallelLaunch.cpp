#include "cli/DataParallelLaunch.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/distributed/DistributedGroup.h"
#include "poisonlab/core/distributed/LocalLauncher.h"

#include <cstdlib>
#include <filesystem>
#include <ostream>

namespace poisonlab::cli {

namespace {

/// POISONLAB_DIST_TIMEOUT_S overrides the collectives' timeout (10 minutes).
std::chrono::milliseconds collectiveTimeout()
{
    if (const char *value = std::getenv("POISONLAB_DIST_TIMEOUT_S"); value && *value) {
        char *end = nullptr;
        const long seconds = std::strtol(value, &end, 10);
        if (*end != '\0' || seconds <= 0)
            throw Error(std::string("environment variable POISONLAB_DIST_TIMEOUT_S=\"") + value +
                        "\" is not a positive number of seconds");
        return std::chrono::seconds(seconds);
    }
    return std::chrono::minutes(10);
}

} // namespace

DataParallelLaunch::DataParallelLaunch(int nproc) : m_nproc(nproc)
{
}

std::optional<int> DataParallelLaunch::launchIfAsked(const std::string &command, const std::vector<std::string> &args,
                                                     CliStreams streams) const
{
    if (m_nproc < 0)
        throw Error("--nproc must be at least 1, got " + std::to_string(m_nproc));
    if (m_nproc <= 1 || distributed::DistributedEnvironment::fromEnvironment().active())
        return std::nullopt;
    distributed::LocalLaunchOptions options;
    options.processes = m_nproc;
    options.program = std::filesystem::read_symlink("/proc/self/exe").string(); // `ps` shows poisonlab-cli
    options.args = {command};
    for (const auto &a : withoutNproc(args))
        options.args.push_back(a);
    options.args.push_back("--nproc");
    options.args.push_back(std::to_string(m_nproc)); // each process checks the world it joins
    return distributed::launchLocalProcesses(options, streams.err);
}

std::shared_ptr<distributed::DistributedGroup> DataParallelLaunch::join(const std::string &device) const
{
    const auto env = distributed::DistributedEnvironment::fromEnvironment();
    if (m_nproc > 1 && env.worldSize != m_nproc)
        throw Error("--nproc " + std::to_string(m_nproc) + " does not match the job this process belongs to (" +
                    std::to_string(env.worldSize) + " processes, from " + env.launcher + ")");
    if (!env.active())
        return nullptr;
    distributed::GroupOptions options;
    options.timeout = collectiveTimeout();
    options.device = device == "cuda" ? "cuda:" + std::to_string(env.localRank) : device;
    return distributed::DistributedGroup::join(env, options);
}

bool DataParallelLaunch::isLead(const std::shared_ptr<distributed::DistributedGroup> &group)
{
    return !group || group->rank() == 0;
}

std::string DataParallelLaunch::prefix(const std::shared_ptr<distributed::DistributedGroup> &group)
{
    return isLead(group) ? std::string() : "[rank " + std::to_string(group->rank()) + "] ";
}

std::vector<std::string> withoutNproc(const std::vector<std::string> &args)
{
    std::vector<std::string> out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i] == "--nproc") {
            ++i;
            continue;
        }
        if (args[i].rfind("--nproc=", 0) == 0)
            continue;
        out.push_back(args[i]);
    }
    return out;
}

} // namespace poisonlab::cli
