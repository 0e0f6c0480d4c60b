#pragma once

#include <functional>
#include <optional>
#include <string>

namespace poisonlab::distributed {

/// Where this process stands in a data-parallel job, read from the environment the usual
/// launchers set: torchrun (RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT), Slurm's srun
/// (SLURM_PROCID, SLURM_NTASKS, SLURM_LOCALID; the master is MASTER_ADDR or the first host of
/// SLURM_JOB_NODELIST) or `poisonlab-cli run --nproc N` (which sets the torchrun variables).
struct DistributedEnvironment {
    int rank = 0;
    int worldSize = 1;
    int localRank = 0;
    std::string masterAddr = "127.0.0.1";
    int masterPort = 29500;
    std::string launcher = "none"; ///< "torchrun" (or --nproc), "slurm", "none"

    /// More than one process: the run trains data-parallel.
    bool active() const { return worldSize > 1; }
    /// "rank 1 of 2 (local 1), master 127.0.0.1:29500, from torchrun"
    std::string describe() const;

    using Getenv = std::function<std::optional<std::string>(const std::string &name)>;
    /// Reads the variables through `getenv` (default: the process environment). torchrun's
    /// variables win over Slurm's; a Slurm job of one task (a sweep cell, an sbatch script
    /// without srun) is not distributed. A variable that is not a number, a rank outside the
    /// world or a port outside 1..65535 throws poisonlab::Error naming the variable.
    static DistributedEnvironment fromEnvironment(const Getenv &getenv = {});
};

/// The first host of a Slurm node list: "gpu[07-09,12],cpu3" -> "gpu07", "node5,node6" -> "node5".
/// Throws poisonlab::Error on an empty or malformed list.
std::string firstSlurmHost(const std::string &nodeList);

} // namespace poisonlab::distributed
