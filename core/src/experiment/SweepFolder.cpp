#include "poisonlab/core/experiment/SweepFolder.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/RunManifest.h"
#include "poisonlab/core/experiment/SweepGrid.h"

#include <algorithm>
#include <optional>

namespace poisonlab::experiment {

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::string keyList(const std::vector<SweepAxis> &axes)
{
    std::vector<std::string> keys;
    for (const auto &a : axes)
        keys.push_back(a.key);
    std::sort(keys.begin(), keys.end());
    std::string out;
    for (const auto &k : keys)
        out += (out.empty() ? "" : ", ") + k;
    return out;
}

// The index already in `sweepDir`, after checking it is a sweep of this config over these keys.
std::optional<SweepIndex> existingSweep(const fs::path &sweepDir, const json &resolved, const std::string &hash,
                                        const std::string &configName, const std::vector<SweepAxis> &axes)
{
    std::error_code ec;
    if (!fs::exists(sweepDir, ec) || fs::is_empty(sweepDir, ec))
        return std::nullopt;
    if (!SweepIndex::isSweepDirectory(sweepDir))
        throw Error(sweepDir, "exists and is not a sweep folder (no sweep.json); give a new or empty folder");
    SweepIndex old = SweepIndex::load(sweepDir);
    if (old.configHash != hash) {
        // Where the configs part, as a JSON pointer ("/training/epochs"), to say what changed.
        const json patch = json::diff(old.baseConfig, resolved);
        const std::string where =
            patch.empty() ? std::string() : " (they differ at " + patch[0].value("path", "") + ")";
        throw Error(sweepDir, "is a sweep of another config (\"" + old.configName + "\", " + old.configHash +
                                  "); this config (\"" + configName + "\") hashes to " + hash + where +
                                  ". Nothing was changed: give another --out, or remove the folder");
    }
    if (keyList(old.axes) != keyList(axes))
        throw Error(sweepDir, "sweeps " + keyList(old.axes) + ", not " + keyList(axes) +
                                  ". Nothing was changed: give another --out for a grid over other keys");
    return old;
}

// The new grid's axes in the order the folder had them, each with its old values first.
std::vector<SweepAxis> grownAxes(const std::vector<SweepAxis> &old, const std::vector<SweepAxis> &requested)
{
    std::vector<SweepAxis> out = old;
    for (auto &axis : out) {
        const auto match =
            std::find_if(requested.begin(), requested.end(), [&](const SweepAxis &r) { return r.key == axis.key; });
        if (match == requested.end())
            continue;
        for (const auto &v : match->values)
            if (std::find(axis.values.begin(), axis.values.end(), v) == axis.values.end())
                axis.values.push_back(v);
    }
    return out;
}

// A goal that measured the base attack's own pair follows a swept source/target class (as the
// workbench's "use this pair" does), unless the grid sets the goals itself.
void goalsFollowThePair(const json &resolved, const SweepCell &cell, json &config)
{
    for (auto it = cell.overrides.begin(); it != cell.overrides.end(); ++it)
        if (it.key().rfind("evaluation.goals", 0) == 0)
            return;
    const json &attack = resolved["attack"];
    if (!attack.is_object() || !attack["options"].contains("source") || !attack["options"].contains("target"))
        return;
    const json &options = attack["options"];
    for (auto &goal : config["evaluation"]["goals"])
        if (!goal.contains("target_image") && goal["source"] == options["source"] &&
            goal["target"] == options["target"]) {
            goal["source"] = config["attack"]["options"]["source"];
            goal["target"] = config["attack"]["options"]["target"];
        }
}

// The cell's config, checked as `poisonlab-cli run` checks it; messages name the base config's file.
json cellConfig(const json &resolved, const SweepCell &cell, const std::string &baseName, const fs::path &configFile)
{
    json config = SweepGrid::applyOverrides(resolved, cell.overrides);
    goalsFollowThePair(resolved, cell, config);
    if (!cell.overrides.contains("name"))
        config["name"] = baseName + "-" + cell.name;
    try {
        return ExperimentConfig::fromJson(config, configFile).toJson();
    } catch (const Error &e) {
        throw Error("cell " + cell.name + ": " + e.what());
    }
}

} // namespace

SweepIndex SweepFolder::expand(const json &baseConfig, const fs::path &configFile,
                               const std::map<std::string, std::string> &vars,
                               const std::vector<std::string> &gridSpecs, const fs::path &sweepDir)
{
    const ExperimentConfig base = ExperimentConfig::fromJson(baseConfig, configFile, vars);
    const json resolved = base.toJson();
    SweepIndex index;
    index.configName = base.name;
    index.configHash = sweepConfigHash(resolved);
    index.baseConfig = resolved;
    std::vector<SweepAxis> axes = SweepGrid::parse(resolved, gridSpecs).axes();
    const auto old = existingSweep(sweepDir, resolved, index.configHash, base.name, axes);
    if (old)
        axes = grownAxes(old->axes, axes);
    const SweepGrid grid(resolved, axes);
    index.axes = grid.axes();
    index.cells = grid.cells();
    index.created = old ? old->created : isoTimeNow();
    index.updated = isoTimeNow();

    // Every cell's config is checked before the first write.
    std::vector<json> configs;
    for (const auto &cell : index.cells)
        configs.push_back(cellConfig(resolved, cell, base.name, configFile));
    for (std::size_t i = 0; i < index.cells.size(); ++i) {
        const fs::path file = sweepDir / index.cells[i].configFile;
        std::error_code ec;
        if (fs::exists(file, ec) && readJsonFile(file) == configs[i])
            continue; // a cell of the earlier expansion: its files stay untouched
        writeJsonAtomically(file, configs[i]);
    }
    index.save(sweepDir);
    return index;
}

SweepIndex SweepFolder::expandFile(const fs::path &configFile, const std::map<std::string, std::string> &vars,
                                   const std::vector<std::string> &gridSpecs, const fs::path &sweepDir)
{
    return expand(readJsonFile(configFile), configFile, vars, gridSpecs, sweepDir);
}

} // namespace poisonlab::experiment
