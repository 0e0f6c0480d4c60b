#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poisonlab::plugin {

/// One option of a plugin as its plugin.json "parameters" describe it: what forms generate a
/// field from (the attack designer, the defense panel) and what they check a value against
/// before core ever sees it. Read and written in one place (fromJson / toJson).
struct PluginParameter {
    enum class Type {
        Bool,
        Integer,
        Number,
        String,
        Choice,     ///< one of `choices`
        Class,      ///< a class name of the open dataset
        GoalList,   ///< [{"source": A, "target": B}, ...]
        Image,      ///< an image of the dataset: path, source id or index
        Dataset,    ///< a dataset name of the experiment
        Path,       ///< a file or folder
        NumberList, ///< [x, ...]
        StringList, ///< ["s", ...]
        Object,     ///< a JSON object with keys of its own (described in `description`)
    };

    std::string name;
    Type type = Type::String;
    bool required = false;
    nlohmann::json defaultValue; ///< null when there is none
    std::optional<double> min, max;
    bool minExclusive = false; ///< `min` itself is not allowed (a rate > 0)
    std::vector<std::string> choices;
    std::string description;

    /// Reads one entry of "parameters"; throws std::runtime_error saying what is wrong
    /// ("parameter \"rate\": unknown type \"float\"").
    static PluginParameter fromJson(const nlohmann::json &j);
    /// Reads the whole "parameters" array (absent or null: none); a repeated name is an error.
    static std::vector<PluginParameter> listFromJson(const nlohmann::json &j);
    nlohmann::json toJson() const;

    /// Why `value` is not acceptable for this parameter ("rate must be greater than 0"), or
    /// std::nullopt when it is. Checks the JSON type, the range and the choices; whether a
    /// class or an image exists is for the caller, who has the dataset.
    std::optional<std::string> problemWith(const nlohmann::json &value) const;

    static std::string typeName(Type type);
};

} // namespace poisonlab::plugin
