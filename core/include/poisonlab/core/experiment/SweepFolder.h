#pragma once

#include "poisonlab/core/experiment/SweepIndex.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// Makes (or grows) a sweep folder: the base config resolved, the grid expanded, every cell's
/// config validated through ExperimentConfig::fromJson before anything is written, then each
/// cell's config.json and sweep.json (layout in SweepIndex).
///
/// A goal of evaluation.goals that measures the base attack's own pair (attack.options.source ->
/// target) follows the cell's pair when the grid sweeps those options and not the goals.
///
/// An existing folder is only reused when it is a sweep of the same base config (same
/// sweepConfigHash) over the same keys; the grid then grows: each axis keeps the values it had
/// and gains the new ones, and cells already there (their runs, finished or not) are left as
/// they are. Anything else throws poisonlab::Error naming the folder, before any write.
class SweepFolder {
public:
    static SweepIndex expand(const nlohmann::json &baseConfig, const std::filesystem::path &configFile,
                             const std::map<std::string, std::string> &vars, const std::vector<std::string> &gridSpecs,
                             const std::filesystem::path &sweepDir);

    /// expand() with the config read from `configFile`.
    static SweepIndex expandFile(const std::filesystem::path &configFile,
                                 const std::map<std::string, std::string> &vars,
                                 const std::vector<std::string> &gridSpecs, const std::filesystem::path &sweepDir);
};

} // namespace poisonlab::experiment
