#pragma once
// How a grid value's text becomes a typed JSON value: by the config's value at the key, or, for
// an option the config leaves at its default, by the plugin parameter or the default options.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poisonlab::experiment::sweepkeys {

/// The key split at '.'.
std::vector<std::string> splitKey(const std::string &key);

/// What types a value for `key` of `resolvedConfig`: the config's own value there, a default
/// (a plugin parameter's or an evaluation option's) when the config leaves it out, or null when
/// any JSON scalar goes. Throws poisonlab::Error when `key` is not a config key.
nlohmann::json prototypeAt(const nlohmann::json &resolvedConfig, const std::string &key);

/// `text` typed like `prototype` (integer, number, string, bool; null: a JSON literal, else the
/// text). Throws poisonlab::Error naming the key and the value when it does not fit.
nlohmann::json typedValue(const nlohmann::json &prototype, const std::string &key, const std::string &text);

} // namespace poisonlab::experiment::sweepkeys
