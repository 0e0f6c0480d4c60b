#include "poisonlab/core/distributed/DistributedEnvironment.h"

#include "poisonlab/core/Error.h"

#include <cstdlib>
#include <limits>

namespace poisonlab::distributed {

namespace {

std::optional<std::string> processEnv(const std::string &name)
{
    const char *value = std::getenv(name.c_str());
    if (!value)
        return std::nullopt;
    return std::string(value);
}

/// A whole number from an environment variable; `fallback` when it is unset.
int intVariable(const DistributedEnvironment::Getenv &getenv, const std::string &name, int fallback)
{
    const auto value = getenv(name);
    if (!value)
        return fallback;
    try {
        std::size_t used = 0;
        const long long parsed = std::stoll(*value, &used);
        if (used != value->size() || parsed < 0 || parsed > std::numeric_limits<int>::max())
            throw std::invalid_argument("range");
        return int(parsed);
    } catch (const std::exception &) {
        throw Error("environment variable " + name + "=\"" + *value + "\" is not a non-negative whole number");
    }
}

/// The master's port: MASTER_PORT, else (under Slurm) one derived from the job id so two jobs
/// sharing a node do not collide, else 29500 (torchrun's default).
int portFromEnvironment(const DistributedEnvironment::Getenv &getenv, bool slurm)
{
    int port = 29500;
    if (slurm && getenv("SLURM_JOB_ID"))
        port = 20000 + intVariable(getenv, "SLURM_JOB_ID", 0) % 20000;
    port = intVariable(getenv, "MASTER_PORT", port);
    if (port < 1 || port > 65535)
        throw Error("environment variable MASTER_PORT=" + std::to_string(port) + " is not a port (1..65535)");
    return port;
}

} // namespace

std::string DistributedEnvironment::describe() const
{
    return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize) + " (local " +
           std::to_string(localRank) + "), master " + masterAddr + ":" + std::to_string(masterPort) + ", from " +
           launcher;
}

DistributedEnvironment DistributedEnvironment::fromEnvironment(const Getenv &getenvArg)
{
    const Getenv getenv = getenvArg ? getenvArg : Getenv(processEnv);
    DistributedEnvironment env;
    if (getenv("WORLD_SIZE")) {
        env.launcher = "torchrun";
        env.worldSize = intVariable(getenv, "WORLD_SIZE", 1);
        env.rank = intVariable(getenv, "RANK", 0);
        env.localRank = intVariable(getenv, "LOCAL_RANK", env.rank);
        env.masterAddr = getenv("MASTER_ADDR").value_or("127.0.0.1");
        env.masterPort = portFromEnvironment(getenv, false);
    } else if (intVariable(getenv, "SLURM_NTASKS", 1) > 1 && getenv("SLURM_PROCID")) {
        env.launcher = "slurm";
        env.worldSize = intVariable(getenv, "SLURM_NTASKS", 1);
        env.rank = intVariable(getenv, "SLURM_PROCID", 0);
        env.localRank = intVariable(getenv, "SLURM_LOCALID", 0);
        if (auto addr = getenv("MASTER_ADDR"))
            env.masterAddr = *addr;
        else if (auto nodes = getenv("SLURM_JOB_NODELIST"); nodes || (nodes = getenv("SLURM_NODELIST")))
            env.masterAddr = firstSlurmHost(*nodes);
        env.masterPort = portFromEnvironment(getenv, true);
    } else {
        return env;
    }
    if (env.worldSize < 1)
        throw Error("the world size is " + std::to_string(env.worldSize) + "; it must be at least 1");
    if (env.rank >= env.worldSize)
        throw Error("rank " + std::to_string(env.rank) + " is outside a world of " + std::to_string(env.worldSize) +
                    " processes (ranks 0.." + std::to_string(env.worldSize - 1) + ")");
    if (env.masterAddr.empty())
        throw Error("environment variable MASTER_ADDR is empty");
    return env;
}

std::string firstSlurmHost(const std::string &nodeList)
{
    // The first entry ends at a comma outside brackets: "gpu[07-09,12],cpu3" -> "gpu[07-09,12]".
    std::size_t end = 0;
    int depth = 0;
    for (; end < nodeList.size(); ++end) {
        const char c = nodeList[end];
        if (c == '[')
            ++depth;
        else if (c == ']')
            --depth;
        else if (c == ',' && depth == 0)
            break;
        if (depth < 0 || depth > 1)
            break;
    }
    const std::string first = nodeList.substr(0, end);
    const auto open = first.find('[');
    if (first.empty() || depth != 0 || (open == std::string::npos && first.find(']') != std::string::npos))
        throw Error("the Slurm node list \"" + nodeList + "\" is malformed");
    if (open == std::string::npos)
        return first;
    const auto close = first.find(']', open);
    if (close == std::string::npos || close != first.size() - 1 || close == open + 1)
        throw Error("the Slurm node list \"" + nodeList + "\" is malformed");
    // The range's first number keeps its zero padding: "gpu[07-09]" -> "gpu07".
    const std::string ranges = first.substr(open + 1, close - open - 1);
    const std::string lowest = ranges.substr(0, ranges.find_first_of(",-"));
    if (lowest.empty() || lowest.find_first_not_of("0123456789") != std::string::npos)
        throw Error("the Slurm node list \"" + nodeList + "\" is malformed");
    return first.substr(0, open) + lowest;
}

} // namespace poisonlab::distributed
