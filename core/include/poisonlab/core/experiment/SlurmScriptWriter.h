#pragma once

#include "poisonlab/core/experiment/SweepIndex.h"

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// What the #SBATCH lines of a sweep's array job ask for. Empty / 0: left to the cluster's defaults.
struct SlurmOptions {
    std::string partition;
    int gpusPerTask = 0;
    int cpusPerTask = 0;
    std::string time; ///< Slurm's forms: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS
    std::string account;
    std::string memory;                ///< --mem, e.g. 32G
    int throttle = 0;                  ///< at most this many cells at once (--array=...%N)
    std::vector<std::string> extra;    ///< more lines, "--qos=high" or "#SBATCH --qos=high"
    std::string jobName;               ///< default: poisonlab-<config name>
    std::string cli = "poisonlab-cli"; ///< the command each task runs (POISONLAB_CLI overrides it at run time)
    std::string device;                ///< `run --device`; empty: "cuda" when GPUs are asked for, else the config's
    /// Data-parallel processes per cell (`run/resume --nproc N`, docs/distributed.md); 0: one per
    /// GPU when more than one GPU per task is asked for, else one.
    int processesPerCell = 0;
};

/// Writes a Slurm array job that runs one sweep cell per array task: task i runs cell i of
/// sweep.json as `poisonlab-cli run <cell>/config.json --out <cell>/run`, or `poisonlab-cli
/// resume <cell>/run` when that run exists and has not finished; a finished cell exits at once.
/// Logs go to <sweep>/logs/<job>_<task>.out. Submit it with `sbatch <sweep>/sweep.sbatch`.
class SlurmScriptWriter {
public:
    static constexpr const char *kFileName = "sweep.sbatch";

    /// Throws poisonlab::Error naming the option when one cannot go into an #SBATCH line (spaces,
    /// a malformed time, a negative count); script() checks the same (callers check first to
    /// refuse before writing anything).
    static void validate(const std::filesystem::path &sweepDir, const SlurmOptions &options);
    /// The script's text for the sweep in `sweepDir` (made absolute). Throws poisonlab::Error
    /// naming the option when one cannot go into an #SBATCH line (spaces, a malformed time, a
    /// negative count) or the sweep has no cells.
    static std::string script(const std::filesystem::path &sweepDir, const SweepIndex &index,
                              const SlurmOptions &options);
    /// Writes script() to sweepDir/sweep.sbatch (executable) and creates sweepDir/logs; returns the file.
    static std::filesystem::path write(const std::filesystem::path &sweepDir, const SweepIndex &index,
                                       const SlurmOptions &options);
};

} // namespace poisonlab::experiment
