#pragma once

#include "poisonlab/core/experiment/SweepIndex.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poisonlab::experiment {

/// A grid over config keys and its cartesian product (docs/distributed.md, "Sweeps").
///
/// An axis is written `key=v1,v2,...`: `key` a dotted path of the resolved config, each value
/// typed by the config's value at that key (integer, number, string, bool; a plugin option the
/// config leaves at its default is typed by the plugin's parameter). A zipped axis moves keys
/// together: `k1+k2=a1:b1,a2:b2` (e.g. source/target class pairs). A key that is not a config
/// key, or a value of the wrong type, throws poisonlab::Error naming it.
class SweepGrid {
public:
    /// `resolvedConfig`: ExperimentConfig::toJson() of the base config.
    SweepGrid(nlohmann::json resolvedConfig, std::vector<SweepAxis> axes);

    /// Parses `key=v1,v2` strings against `resolvedConfig`.
    static SweepGrid parse(const nlohmann::json &resolvedConfig, const std::vector<std::string> &specs);
    /// Parses one `key=v1,v2` string.
    static SweepAxis parseAxis(const nlohmann::json &resolvedConfig, const std::string &spec);

    const std::vector<SweepAxis> &axes() const { return m_axes; }
    /// The cartesian product, the first axis varying slowest; names are unique (else Error).
    /// runDir and configFile are filled with the folder layout of SweepIndex.
    std::vector<SweepCell> cells() const;
    /// `config` with each dotted key of `overrides` set (lists indexed by number segments).
    static nlohmann::json applyOverrides(nlohmann::json config, const nlohmann::json &overrides);

private:
    nlohmann::json m_config;
    std::vector<SweepAxis> m_axes;
};

} // namespace poisonlab::experiment
