#include "poisonlab/core/experiment/SweepIndex.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"

#include <cstdint>
#include <cstdio>

namespace poisonlab::experiment {

using nlohmann::json;
namespace fs = std::filesystem;

std::vector<std::string> SweepAxis::keys() const
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto plus = key.find('+', start);
        out.push_back(key.substr(start, plus == std::string::npos ? std::string::npos : plus - start));
        if (plus == std::string::npos)
            return out;
        start = plus + 1;
    }
}

std::string SweepAxis::valueLabel(const json &value)
{
    if (value.is_string())
        return value.get<std::string>();
    if (value.is_array()) {
        std::string out;
        for (const auto &v : value)
            out += (out.empty() ? "" : ":") + valueLabel(v);
        return out;
    }
    return value.dump();
}

json SweepIndex::toJson() const
{
    json axesJson = json::array();
    for (const auto &a : axes)
        axesJson.push_back({{"key", a.key}, {"values", a.values}});
    json cellsJson = json::array();
    for (const auto &c : cells)
        cellsJson.push_back({{"name", c.name},
                             {"overrides", c.overrides},
                             {"run_dir", c.runDir.generic_string()},
                             {"config", c.configFile.generic_string()}});
    return {{"format", kFormat},         {"version", 1},       {"config_name", configName},
            {"config_hash", configHash}, {"created", created}, {"updated", updated},
            {"axes", axesJson},          {"cells", cellsJson}, {"base_config", baseConfig}};
}

namespace {

// Reads one key of the index with its type checked; the message names the file and the key.
template <typename T>
T field(const json &j, const char *key, const fs::path &file, const std::string &where)
{
    if (!j.contains(key))
        throw Error(file, "not a sweep index: " + where + "\"" + key + "\" is missing");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception &) {
        throw Error(file, "not a sweep index: " + where + "\"" + key + "\" has the wrong type");
    }
}

SweepCell cellFromJson(const json &c, const fs::path &file, const std::string &where)
{
    if (!c.is_object())
        throw Error(file, "not a sweep index: " + where + " is not an object");
    SweepCell cell;
    cell.name = field<std::string>(c, "name", file, where + ".");
    cell.overrides = c.value("overrides", json::object());
    if (!cell.overrides.is_object())
        throw Error(file, "not a sweep index: " + where + ".\"overrides\" is not an object");
    cell.runDir = field<std::string>(c, "run_dir", file, where + ".");
    cell.configFile = field<std::string>(c, "config", file, where + ".");
    // A sweep runs each cell in its run_dir: neither may lead outside the sweep folder.
    for (const auto &[key, path] : {std::pair{"run_dir", &cell.runDir}, std::pair{"config", &cell.configFile}})
        if (const auto problem = pathEscapeProblem(file.parent_path(), path->string(), true, {key, "the sweep folder"}))
            throw Error(file, "not a sweep index: " + where + ".\"" + key + "\" \"" + path->string() +
                                  "\" refused: " + *problem);
    return cell;
}

} // namespace

SweepIndex SweepIndex::fromJson(const json &j, const fs::path &file)
{
    if (!j.is_object() || j.value("format", "") != kFormat)
        throw Error(file, std::string("not a sweep index (\"format\" is not \"") + kFormat + "\")");
    SweepIndex index;
    index.configName = field<std::string>(j, "config_name", file, "");
    index.configHash = field<std::string>(j, "config_hash", file, "");
    index.created = j.value("created", "");
    index.updated = j.value("updated", "");
    index.baseConfig = j.value("base_config", json());
    const auto axes = field<json>(j, "axes", file, "");
    const auto cells = field<json>(j, "cells", file, "");
    if (!axes.is_array() || !cells.is_array())
        throw Error(file, "not a sweep index: \"axes\" and \"cells\" must be lists");
    for (std::size_t i = 0; i < axes.size(); ++i) {
        const std::string where = "\"axes\"[" + std::to_string(i) + "].";
        if (!axes[i].is_object())
            throw Error(file, "not a sweep index: " + where + " is not an object");
        index.axes.push_back({field<std::string>(axes[i], "key", file, where),
                              field<std::vector<json>>(axes[i], "values", file, where)});
    }
    for (std::size_t i = 0; i < cells.size(); ++i)
        index.cells.push_back(cellFromJson(cells[i], file, "\"cells\"[" + std::to_string(i) + "]"));
    return index;
}

SweepIndex SweepIndex::load(const fs::path &sweepDir)
{
    const fs::path file = sweepDir / kFileName;
    if (!fs::exists(file))
        throw Error(sweepDir, "not a sweep folder (no sweep.json; make one with `poisonlab-cli sweep`)");
    return fromJson(readJsonFile(file), file);
}

void SweepIndex::save(const fs::path &sweepDir) const
{
    writeJsonAtomically(sweepDir / kFileName, toJson());
}

bool SweepIndex::isSweepDirectory(const fs::path &dir)
{
    std::error_code ec;
    return fs::is_regular_file(dir / kFileName, ec);
}

const SweepCell *SweepIndex::cell(const std::string &name) const
{
    for (const auto &c : cells)
        if (c.name == name)
            return &c;
    return nullptr;
}

const SweepAxis *SweepIndex::axisFor(const std::string &key) const
{
    for (const auto &a : axes)
        for (const auto &k : a.keys())
            if (k == key)
                return &a;
    return nullptr;
}

std::string sweepConfigHash(const json &resolvedConfig)
{
    std::uint64_t h = 1469598103934665603ull;
    for (const unsigned char c : resolvedConfig.dump()) {
        h ^= c;
        h *= 1099511628211ull;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "fnv1a64:%016llx", static_cast<unsigned long long>(h));
    return buf;
}

} // namespace poisonlab::experiment
