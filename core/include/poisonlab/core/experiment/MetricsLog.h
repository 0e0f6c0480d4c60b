#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// metrics.jsonl read back (one JSON record per line, appended by a run). Each record is a JSON
/// object whose common keys have their types — "type" and "model" strings, "epoch" an integer
/// in int's range, "step" an integer — so its readers (reports, resume, the workbench's charts)
/// never meet another shape. A line that is not such a record is left out and listed in
/// `skipped`, except a last line without its newline: a run killed while appending it, which
/// is expected, and whose records before it are intact.
struct MetricsLog {
    std::vector<nlohmann::json> records;
    std::vector<std::string> skipped; ///< "line 7: not JSON (...)", in file order

    /// Reads `file`; none when it does not exist. Throws poisonlab::Error when it cannot be read.
    static MetricsLog read(const std::filesystem::path &file);
    /// Why `record` is not a metrics record, empty when it is one.
    static std::string problemOf(const nlohmann::json &record);
};

} // namespace poisonlab::experiment
