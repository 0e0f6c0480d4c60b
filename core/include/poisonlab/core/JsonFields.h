#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

namespace poisonlab {

/// Typed reads of one JSON object from a file, for the readers of run folders (run.json, the
/// poison manifest, evaluation record indexes, metrics.jsonl): a value of the wrong type, or an
/// integer out of range, is a poisonlab::Error naming the file and the key's path, e.g.
/// `run.json: "datasets"[0]."images" must be an integer, got "12"` — never a json::exception.
/// An absent key, or null, gets the fallback; the `need...` reads require the key. It keeps a
/// reference to `object`, which must outlive it.
class JsonFields {
public:
    /// Throws naming `where` when `object` is not a JSON object.
    JsonFields(const nlohmann::json &object, std::filesystem::path file, std::string where = {});

    std::string text(const std::string &key, const std::string &fallback = {}) const;
    std::string needText(const std::string &key) const;
    long long integer(const std::string &key, long long fallback, long long min = kMin, long long max = kMax) const;
    long long needInteger(const std::string &key, long long min = kMin, long long max = kMax) const;
    std::uint64_t unsignedInteger(const std::string &key, std::uint64_t fallback) const;
    std::uint64_t needUnsigned(const std::string &key) const;
    double number(const std::string &key, double fallback) const;
    double needNumber(const std::string &key) const;
    bool boolean(const std::string &key, bool fallback) const;
    /// The object at `key`, `{}` when absent.
    nlohmann::json object(const std::string &key) const;
    /// The list at `key`, `[]` when absent; `need` makes an absent list an error.
    const nlohmann::json &list(const std::string &key, bool need = false) const;
    /// The fields of `list(key)[index]`, which must be an object.
    JsonFields item(const std::string &key, std::size_t index) const;

    /// `"key"` under this object's path, as the messages name it.
    std::string path(const std::string &key) const;
    [[noreturn]] void fail(const std::string &key, const std::string &problem) const;

    static constexpr long long kMin = std::numeric_limits<long long>::min();
    static constexpr long long kMax = std::numeric_limits<long long>::max();

private:
    /// The value at key; null when absent or null. `need`: absent is an error.
    const nlohmann::json *find(const std::string &key, bool need) const;
    long long integerAt(const std::string &key, const nlohmann::json &v, long long min, long long max) const;

    const nlohmann::json &m_json;
    std::filesystem::path m_file;
    std::string m_where;
};

/// A JSON value for a message: at most `limit` characters of its text.
std::string shortJson(const nlohmann::json &value, std::size_t limit = 80);

/// An exception's message without nlohmann's "[json.exception.type_error.302] " tag, which says
/// nothing to a reader.
std::string withoutJsonTag(const std::string &what);

} // namespace poisonlab
