#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// One swept dimension of a grid. `key` is a dotted path into the resolved experiment config
/// ("attack.options.rate", "training.learningRate", "evaluation.goals.0.source": a number
/// segment indexes a list). A zipped axis moves several keys together, its key joining them
/// with '+' ("attack.options.source+attack.options.target"); each of its values is then a JSON
/// list with one value per key (["sheep", "aeroplane"]).
struct SweepAxis {
    std::string key;
    std::vector<nlohmann::json> values;

    /// The keys this axis sets: `key` split at '+' (one key for a plain axis).
    std::vector<std::string> keys() const;
    bool zipped() const { return keys().size() > 1; }
    /// How a value reads in a cell name or a chart axis: 0.01, sheep, sheep:aeroplane.
    static std::string valueLabel(const nlohmann::json &value);
};

/// One run of a sweep: a point of the grid.
struct SweepCell {
    std::string name;                 ///< readable, filesystem-safe and stable: "rate=0.01_seed=1"
    nlohmann::json overrides;         ///< object: dotted key -> value (a zipped axis gives one entry per key)
    std::filesystem::path runDir;     ///< the cell's run directory, relative to the sweep folder
    std::filesystem::path configFile; ///< the cell's full config (what `poisonlab-cli run` reads), relative
};

/// sweep.json: what a sweep folder was made from and which cells it holds. Layout:
///   sweep.json                  this index
///   cells/<name>/config.json    the cell's resolved config (base config + overrides)
///   cells/<name>/run/           the cell's run directory (docs/run-directory.md)
///   sweep.sbatch, logs/         when a Slurm script was written
struct SweepIndex {
    static constexpr const char *kFileName = "sweep.json";
    static constexpr const char *kFormat = "poisonlab-sweep";

    std::string configName;    ///< the base config's "name"
    std::string configHash;    ///< sweepConfigHash() of baseConfig: "fnv1a64:<16 hex digits>"
    nlohmann::json baseConfig; ///< the resolved base config (ExperimentConfig::toJson)
    std::vector<SweepAxis> axes;
    std::vector<SweepCell> cells;
    std::string created; ///< ISO 8601 UTC
    std::string updated;

    nlohmann::json toJson() const;
    /// Throws poisonlab::Error naming `file` and the key when `json` is not a sweep index.
    static SweepIndex fromJson(const nlohmann::json &json, const std::filesystem::path &file);
    static SweepIndex load(const std::filesystem::path &sweepDir);
    /// Writes sweepDir/sweep.json atomically.
    void save(const std::filesystem::path &sweepDir) const;
    static bool isSweepDirectory(const std::filesystem::path &dir);

    /// The cell named `name`, null when there is none.
    const SweepCell *cell(const std::string &name) const;
    /// The axis that sets `key` (a plain key, or one of a zipped axis' keys), null when none.
    const SweepAxis *axisFor(const std::string &key) const;
};

/// The hash that tells whether a sweep folder was made from this config: FNV-1a 64 of the
/// resolved config's compact dump.
std::string sweepConfigHash(const nlohmann::json &resolvedConfig);

} // namespace poisonlab::experiment
