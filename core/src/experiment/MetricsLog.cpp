#include "poisonlab/core/experiment/MetricsLog.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/JsonFields.h"

#include <limits>

namespace poisonlab::experiment {

using nlohmann::json;

std::string MetricsLog::problemOf(const json &record)
{
    if (!record.is_object())
        return "not a JSON object: " + shortJson(record);
    for (const char *key : {"type", "model"})
        if (record.contains(key) && !record[key].is_string())
            return std::string("\"") + key + "\" must be a string, got " + shortJson(record[key]);
    if (record.contains("step") && !record["step"].is_number_integer())
        return "\"step\" must be an integer, got " + shortJson(record["step"]);
    if (record.contains("epoch")) {
        const json &e = record["epoch"];
        const bool inRange = e.is_number_unsigned() ? e.get<std::uint64_t>() <= std::uint64_t(INT32_MAX)
                                                    : e.is_number_integer() && e.get<long long>() >= INT32_MIN &&
                                                          e.get<long long>() <= INT32_MAX;
        if (!inRange)
            return "\"epoch\" must be an integer in int's range, got " + shortJson(e);
    }
    return {};
}

MetricsLog MetricsLog::read(const std::filesystem::path &file)
{
    MetricsLog log;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec))
        return log;
    const std::string text = readFile(file);
    std::size_t begin = 0;
    for (std::size_t lineNumber = 1; begin < text.size(); ++lineNumber) {
        const std::size_t end = text.find('\n', begin);
        const bool cut = end == std::string::npos; // the last line, without its newline
        const std::string line = text.substr(begin, cut ? std::string::npos : end - begin);
        begin = cut ? text.size() : end + 1;
        if (line.empty())
            continue;
        std::string problem;
        try {
            json record = json::parse(line);
            problem = problemOf(record);
            if (problem.empty()) {
                log.records.push_back(std::move(record));
                continue;
            }
        } catch (const json::exception &e) {
            if (cut)
                continue; // a record cut short by a kill
            problem = "not JSON (" + withoutJsonTag(e.what()) + ")";
        }
        log.skipped.push_back("line " + std::to_string(lineNumber) + ": " + problem);
    }
    return log;
}

} // namespace poisonlab::experiment
