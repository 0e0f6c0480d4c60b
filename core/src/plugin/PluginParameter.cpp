#include "poisonlab/core/plugin/PluginParameter.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <stdexcept>
#include <utility>

namespace poisonlab::plugin {

using nlohmann::json;

namespace {

using Type = PluginParameter::Type;

constexpr std::array<std::pair<Type, const char *>, 13> kTypeNames{{
    {Type::Bool, "bool"},
    {Type::Integer, "integer"},
    {Type::Number, "number"},
    {Type::String, "string"},
    {Type::Choice, "choice"},
    {Type::Class, "class"},
    {Type::GoalList, "goal-list"},
    {Type::Image, "image"},
    {Type::Dataset, "dataset"},
    {Type::Path, "path"},
    {Type::NumberList, "number-list"},
    {Type::StringList, "string-list"},
    {Type::Object, "object"},
}};

Type typeFromName(const std::string &name)
{
    for (const auto &[type, text] : kTypeNames)
        if (name == text)
            return type;
    std::string known;
    for (const auto &[type, text] : kTypeNames)
        known += (known.empty() ? "" : ", ") + std::string(text);
    throw std::runtime_error("unknown type \"" + name + "\" (known: " + known + ")");
}

std::optional<double> optionalNumber(const json &j, const char *key)
{
    if (!j.contains(key))
        return std::nullopt;
    if (!j.at(key).is_number())
        throw std::runtime_error(std::string("\"") + key + "\" must be a number");
    return j.at(key).get<double>();
}

bool isIntegral(const json &value)
{
    if (value.is_number_integer())
        return true;
    return value.is_number_float() && std::floor(value.get<double>()) == value.get<double>();
}

// The JSON shape a value of `type` must have; std::nullopt when it has it.
std::optional<std::string> shapeProblem(Type type, const json &value)
{
    switch (type) {
    case Type::Bool:
        return value.is_boolean() ? std::nullopt : std::optional<std::string>("must be true or false");
    case Type::Integer:
        return isIntegral(value) ? std::nullopt : std::optional<std::string>("must be a whole number");
    case Type::Number:
        return value.is_number() ? std::nullopt : std::optional<std::string>("must be a number");
    case Type::String:
    case Type::Choice:
    case Type::Class:
    case Type::Dataset:
    case Type::Path:
        return value.is_string() ? std::nullopt : std::optional<std::string>("must be a string");
    case Type::Image:
        return value.is_string() || isIntegral(value)
                   ? std::nullopt
                   : std::optional<std::string>("must be a path, source id or index");
    case Type::GoalList:
        if (value.is_array() && std::all_of(value.begin(), value.end(), [](const json &g) {
                return g.is_object() && g.contains("source") && g.contains("target");
            }))
            return std::nullopt;
        return "must be a list of {\"source\": A, \"target\": B} goals";
    case Type::NumberList:
        if (value.is_array() && std::all_of(value.begin(), value.end(), [](const json &x) { return x.is_number(); }))
            return std::nullopt;
        return "must be a list of numbers";
    case Type::StringList:
        if (value.is_array() && std::all_of(value.begin(), value.end(), [](const json &x) { return x.is_string(); }))
            return std::nullopt;
        return "must be a list of strings";
    case Type::Object:
        return value.is_object() ? std::nullopt : std::optional<std::string>("must be a JSON object");
    }
    return std::nullopt;
}

std::string number(double x)
{
    json j = x;
    if (std::floor(x) == x && std::abs(x) < 1e15)
        j = static_cast<long long>(x);
    return j.dump();
}

} // namespace

std::string PluginParameter::typeName(Type type)
{
    for (const auto &[t, text] : kTypeNames)
        if (t == type)
            return text;
    return "?";
}

PluginParameter PluginParameter::fromJson(const json &j)
{
    if (!j.is_object() || !j.contains("name") || !j.at("name").is_string() || j.at("name").get<std::string>().empty())
        throw std::runtime_error("every parameter needs a \"name\" string");
    PluginParameter p;
    p.name = j.at("name").get<std::string>();
    try {
        if (!j.contains("type") || !j.at("type").is_string())
            throw std::runtime_error("missing \"type\" string");
        p.type = typeFromName(j.at("type").get<std::string>());
        p.required = j.value("required", false);
        p.defaultValue = j.value("default", json());
        p.min = optionalNumber(j, "min");
        p.max = optionalNumber(j, "max");
        p.minExclusive = j.value("minExclusive", false);
        p.description = j.value("description", "");
        if (j.contains("choices"))
            p.choices = j.at("choices").get<std::vector<std::string>>();
        if (p.type == Type::Choice && p.choices.empty())
            throw std::runtime_error("a choice needs \"choices\"");
        if (!p.defaultValue.is_null())
            if (const auto problem = p.problemWith(p.defaultValue))
                throw std::runtime_error("its default " + p.defaultValue.dump() + " is not allowed: " + *problem);
    } catch (const json::exception &e) {
        throw std::runtime_error("parameter \"" + p.name + "\": " + e.what());
    } catch (const std::runtime_error &e) {
        throw std::runtime_error("parameter \"" + p.name + "\": " + e.what());
    }
    return p;
}

std::vector<PluginParameter> PluginParameter::listFromJson(const json &j)
{
    std::vector<PluginParameter> out;
    if (j.is_null())
        return out;
    if (!j.is_array())
        throw std::runtime_error("\"parameters\" must be an array");
    std::set<std::string> names;
    for (const json &entry : j) {
        out.push_back(fromJson(entry));
        if (!names.insert(out.back().name).second)
            throw std::runtime_error("parameter \"" + out.back().name + "\" is described twice");
    }
    return out;
}

json PluginParameter::toJson() const
{
    json j = {{"name", name}, {"type", typeName(type)}};
    if (required)
        j["required"] = true;
    if (min)
        j["min"] = *min;
    if (minExclusive)
        j["minExclusive"] = true;
    if (max)
        j["max"] = *max;
    if (!defaultValue.is_null())
        j["default"] = defaultValue;
    if (!choices.empty())
        j["choices"] = choices;
    if (!description.empty())
        j["description"] = description;
    return j;
}

std::optional<std::string> PluginParameter::problemWith(const json &value) const
{
    if (const auto shape = shapeProblem(type, value))
        return name + " " + *shape;
    if (type == Type::Choice && std::find(choices.begin(), choices.end(), value.get<std::string>()) == choices.end()) {
        std::string list;
        for (const auto &c : choices)
            list += (list.empty() ? "" : ", ") + c;
        return name + " must be one of " + list;
    }
    if (value.is_number()) {
        const double x = value.get<double>();
        if (min && (minExclusive ? x <= *min : x < *min))
            return name + " must be " + (minExclusive ? "greater than " : "at least ") + number(*min);
        if (max && x > *max)
            return name + " must be at most " + number(*max);
    }
    return std::nullopt;
}

} // namespace poisonlab::plugin
