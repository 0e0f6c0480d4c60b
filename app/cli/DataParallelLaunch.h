#pragma once

#include "cli/CliCommand.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::distributed {
class DistributedGroup;
}

namespace poisonlab::cli {

/// How `run` and `resume` take part in a data-parallel job (docs/distributed.md).
class DataParallelLaunch {
public:
    /// `nproc` as given with --nproc (0 when absent).
    explicit DataParallelLaunch(int nproc);

    /// Outside a launched job with --nproc N > 1: starts N copies of this command (`command`
    /// and `args` as given, without --nproc) and returns their exit status. Otherwise nullopt:
    /// this process does the work itself (alone, or as one rank of a job).
    std::optional<int> launchIfAsked(const std::string &command, const std::vector<std::string> &args,
                                     CliStreams streams) const;
    /// Inside a job (torchrun, srun or --nproc): joins it and returns the group; null alone.
    /// Throws poisonlab::Error on a bad environment, an unreachable master or an --nproc that
    /// differs from the job's world size.
    std::shared_ptr<distributed::DistributedGroup> join(const std::string &device) const;

    /// Rank 0 (or a process alone) prints progress and results; the others only their errors.
    static bool isLead(const std::shared_ptr<distributed::DistributedGroup> &group);
    /// "[rank 1] " for a non-lead rank's messages, "" otherwise.
    static std::string prefix(const std::shared_ptr<distributed::DistributedGroup> &group);

private:
    int m_nproc;
};

/// `args` without "--nproc N" / "--nproc=N".
std::vector<std::string> withoutNproc(const std::vector<std::string> &args);

} // namespace poisonlab::cli
