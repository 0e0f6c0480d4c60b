#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// One dataset a run read, identified well enough to notice when it changed.
struct DatasetRecord {
    std::string name;
    std::string format;
    std::string root;
    long long images = 0;
    long long captions = 0;
    std::string checksum; ///< datasetChecksum(): "fnv1a64:<16 hex digits>"
};

/// run.json: what produced a run directory and where the run stands. Its presence (with
/// "format": "poisonlab-run") is what makes a folder a run directory.
struct RunManifest {
    std::string name;
    std::string status = "created"; ///< created, running, cancelled, failed, finished
    std::string projectVersion;     ///< poisonlab::projectVersion()
    std::string torchVersion;       ///< poisonlab::torchVersion()
    std::string device;
    std::string created; ///< ISO 8601 UTC
    std::string updated;
    std::uint64_t seed = 0;
    nlohmann::json seeds = nlohmann::json::object(); ///< per stage: attack, training, evaluation
    std::vector<DatasetRecord> datasets;
    std::string error; ///< the message when status is "failed"
    nlohmann::json extra = nlohmann::json::object();

    nlohmann::json toJson() const;
    static RunManifest fromJson(const nlohmann::json &json, const std::filesystem::path &source);
};

/// The current time as ISO 8601 UTC, e.g. "2026-11-24T23:59:01Z".
std::string isoTimeNow();

} // namespace poisonlab::experiment
