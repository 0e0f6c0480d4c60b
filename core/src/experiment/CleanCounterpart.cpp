#include "poisonlab/core/experiment/CleanCounterpart.h"

#include "poisonlab/core/experiment/RunDirectory.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

using DatasetKeys = std::set<std::pair<std::string, std::string>>; // (name, checksum)

DatasetKeys datasetsOf(const RunManifest &m)
{
    DatasetKeys keys;
    for (const auto &d : m.datasets)
        keys.emplace(d.name, d.checksum);
    return keys;
}

// A finished clean run over the same datasets; its manifest when it is one.
std::optional<RunManifest> matchingCleanRun(const fs::path &dir, const DatasetKeys &wanted)
{
    try {
        if (!RunDirectory::isRunDirectory(dir) || !isCleanRun(dir))
            return std::nullopt;
        RunManifest m = RunDirectory::open(dir).manifest();
        if (m.status != "finished" || datasetsOf(m) != wanted)
            return std::nullopt;
        return m;
    } catch (const std::exception &) {
        return std::nullopt; // a sibling that does not read is simply not the counterpart
    }
}

} // namespace

bool isCleanRun(const fs::path &runDir)
{
    const nlohmann::json config = RunDirectory::open(runDir).config();
    const auto attack = config.find("attack");
    return attack == config.end() || attack->is_null();
}

std::optional<fs::path> findCleanCounterpart(const fs::path &runDir)
{
    DatasetKeys wanted;
    try {
        if (!RunDirectory::isRunDirectory(runDir) || isCleanRun(runDir))
            return std::nullopt;
        wanted = datasetsOf(RunDirectory::open(runDir).manifest());
    } catch (const std::exception &) {
        return std::nullopt;
    }
    const fs::path self = fs::weakly_canonical(runDir);
    const fs::path beside = self.parent_path() / (self.filename().string() + "-clean");
    if (matchingCleanRun(beside, wanted))
        return beside;
    std::optional<fs::path> best;
    std::string bestUpdated;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(self.parent_path(), ec)) {
        if (!entry.is_directory(ec) || fs::weakly_canonical(entry.path()) == self)
            continue;
        if (const auto m = matchingCleanRun(entry.path(), wanted); m && (!best || m->updated > bestUpdated)) {
            best = entry.path();
            bestUpdated = m->updated;
        }
    }
    return best;
}

} // namespace poisonlab::experiment
