#pragma once

#include "poisonlab/core/experiment/RunManifest.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// A run's folder (layout in docs/run-directory.md):
///   run.json        RunManifest (marks the folder as a run directory)
///   config.json     the resolved experiment config
///   run.log         human-readable log, appended
///   metrics.jsonl   one JSON record per line (steps, epochs, evaluations), appended
///   poison/         manifest.json, train.json (paper records), poisoned.json
///   checkpoints/    the trainer's checkpoints
///   results/        final metrics and the evaluation files
/// Every JSON file is written atomically (temp file + rename); appends write whole lines.
class RunDirectory {
public:
    /// Makes `dir` a new run directory. An existing non-empty folder is refused unless `force`;
    /// with `force`, an existing run directory's files are replaced, but a non-empty folder that
    /// is not a run directory is still refused (its files are not ours to delete) — unless it holds
    /// only a run directory's entries without run.json: a run stopped while being created, which
    /// `force` starts again. `fill` writes the run's first files (config, poison) before run.json,
    /// so a folder with run.json always holds them.
    static RunDirectory create(const std::filesystem::path &dir, const RunManifest &manifest, bool force = false,
                               const std::function<void(const RunDirectory &)> &fill = {});
    /// Opens an existing run directory; a folder that is not one gets a clear error.
    static RunDirectory open(const std::filesystem::path &dir);
    static bool isRunDirectory(const std::filesystem::path &dir);

    const std::filesystem::path &path() const { return m_path; }
    std::filesystem::path manifestPath() const { return m_path / "run.json"; }
    std::filesystem::path configPath() const { return m_path / "config.json"; }
    std::filesystem::path logPath() const { return m_path / "run.log"; }
    std::filesystem::path metricsPath() const { return m_path / "metrics.jsonl"; }
    std::filesystem::path poisonDir() const { return m_path / "poison"; }
    std::filesystem::path checkpointsDir() const { return m_path / "checkpoints"; }
    std::filesystem::path resultsDir() const { return m_path / "results"; }

    RunManifest manifest() const;
    void writeManifest(const RunManifest &manifest) const;
    /// Reads run.json, lets `update` change it, stamps "updated" and writes it back.
    template <typename F>
    void updateManifest(F update) const
    {
        RunManifest m = manifest();
        update(m);
        writeManifest(m);
    }

    void writeConfig(const nlohmann::json &config) const;
    nlohmann::json config() const;

    /// Appends one record as a line of metrics.jsonl (thread-safe within the process).
    void appendMetrics(const nlohmann::json &record) const;
    /// Every record of metrics.jsonl; a truncated last line (a killed process) is skipped.
    std::vector<nlohmann::json> metrics() const;
    /// Rewrites metrics.jsonl atomically keeping only the records `keep` accepts (used on resume
    /// to drop the records after the checkpoint, which the resumed run writes again).
    void filterMetrics(const std::function<bool(const nlohmann::json &)> &keep) const;

    /// Appends a time-stamped line to run.log.
    void log(const std::string &line) const;

    /// results/<name>.json, written atomically.
    void writeResult(const std::string &name, const nlohmann::json &value) const;
    nlohmann::json result(const std::string &name) const;

private:
    explicit RunDirectory(std::filesystem::path path);
    void appendLine(const std::filesystem::path &file, const std::string &line) const;

    std::filesystem::path m_path;
    std::shared_ptr<std::mutex> m_mutex;
};

} // namespace poisonlab::experiment
