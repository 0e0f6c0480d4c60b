#include "SweepKeyTypes.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

#include <cerrno>
#include <charconv>
#include <cstdlib>

namespace poisonlab::experiment::sweepkeys {

using nlohmann::json;

namespace {

std::string joined(const std::vector<std::string> &parts, std::size_t n)
{
    std::string out;
    for (std::size_t i = 0; i < n && i < parts.size(); ++i)
        out += (i ? "." : "") + parts[i];
    return out;
}

std::string keysOf(const json &object)
{
    std::string out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out += (out.empty() ? "" : ", ") + it.key();
    return out.empty() ? "none" : out;
}

[[noreturn]] void notAKey(const std::string &key, const std::string &why)
{
    throw Error("--grid " + key + ": \"" + key + "\" is not a config key (" + why + ")");
}

// A plugin option the config leaves at its default: typed by the plugin's declared parameter.
json pluginOptionPrototype(const json &pluginSpec, const std::string &key, const std::string &option)
{
    const auto *meta = plugin::PluginRegistry::instance().find(pluginSpec.value("plugin", ""));
    if (!meta || meta->parameters.empty())
        return json(); // options not declared: any scalar
    std::string names;
    for (const auto &p : meta->parameters) {
        names += (names.empty() ? "" : ", ") + p.name;
        if (p.name != option)
            continue;
        using T = plugin::PluginParameter::Type;
        switch (p.type) {
        case T::Bool:
            return false;
        case T::Integer:
            return 0;
        case T::Number:
            return 0.5;
        case T::String:
        case T::Choice:
        case T::Class:
        case T::Image:
        case T::Dataset:
        case T::Path:
            return "";
        default:
            throw Error("--grid " + key + ": option \"" + option + "\" of " + meta->id + " is a " +
                        plugin::PluginParameter::typeName(p.type) + ", which a grid cannot sweep");
        }
    }
    notAKey(key, meta->id + " has no option \"" + option + "\"; its options: " + names);
}

bool parseInteger(const std::string &text, long long &out)
{
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, out);
    return ec == std::errc() && ptr == end;
}

bool parseNumber(const std::string &text, double &out)
{
    if (text.empty())
        return false;
    char *end = nullptr;
    errno = 0;
    out = std::strtod(text.c_str(), &end);
    return errno == 0 && end == text.c_str() + text.size();
}

} // namespace

std::vector<std::string> splitKey(const std::string &key)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = key.find('.', start);
        parts.push_back(key.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
        if (dot == std::string::npos)
            return parts;
        start = dot + 1;
    }
}

namespace {

// The attack's or a defense's spec when `parts` name one of its options, else null.
const json *pluginSpecOf(const json &resolvedConfig, const std::vector<std::string> &parts)
{
    const std::size_t n = parts.size();
    if (n < 3 || parts[n - 2] != "options")
        return nullptr;
    if (n == 3 && parts[0] == "attack" && resolvedConfig.contains("attack") && resolvedConfig["attack"].is_object())
        return &resolvedConfig["attack"];
    long long index = -1;
    if (n == 4 && parts[0] == "defenses" && parseInteger(parts[1], index) && resolvedConfig.contains("defenses") &&
        index >= 0 && index < static_cast<long long>(resolvedConfig["defenses"].size()))
        return &resolvedConfig["defenses"][static_cast<std::size_t>(index)];
    return nullptr;
}

} // namespace

json prototypeAt(const json &resolvedConfig, const std::string &key)
{
    const auto parts = splitKey(key);
    // A plugin option is typed by the parameter the plugin declares: "rate": 1 in a config is
    // still a number option, and an option left at its default is still a key.
    if (const json *spec = pluginSpecOf(resolvedConfig, parts)) {
        const json typed = pluginOptionPrototype(*spec, key, parts.back());
        const json &options = (*spec)["options"];
        if (!typed.is_null() || !options.contains(parts.back()))
            return typed;
        return options[parts.back()];
    }
    const json *node = &resolvedConfig;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string &part = parts[i];
        if (part.empty())
            notAKey(key, "an empty part");
        const std::string parent = i ? "\"" + joined(parts, i) + "\"" : std::string("the config");
        if (node->is_array()) {
            long long index = -1;
            if (!parseInteger(part, index) || index < 0 || index >= static_cast<long long>(node->size()))
                notAKey(key, parent + " is a list of " + std::to_string(node->size()) + "; \"" + part +
                                 "\" is not an index in it");
            node = &(*node)[static_cast<std::size_t>(index)];
            continue;
        }
        if (!node->is_object())
            notAKey(key, parent + " is " + (node->is_null() ? "not set" : "a value, not a section"));
        if (!node->contains(part)) {
            // An evaluation option left at its default.
            if (i + 1 == parts.size() && joined(parts, i) == "evaluation.options") {
                const json defaults = eval::EvalOptions{}.toJson();
                if (defaults.contains(part))
                    return defaults[part];
            }
            notAKey(key, parent + " has: " + keysOf(*node));
        }
        node = &(*node)[part];
    }
    return *node;
}

json typedValue(const json &prototype, const std::string &key, const std::string &text)
{
    auto wrongType = [&](const std::string &expected) -> Error {
        return Error("--grid " + key + ": value \"" + text + "\" is not " + expected + " (the config's \"" + key +
                     "\" is " + (prototype.is_null() ? std::string("null") : prototype.dump()) + ")");
    };
    if (prototype.is_boolean()) {
        if (text == "true" || text == "false")
            return text == "true";
        throw wrongType("true or false");
    }
    if (prototype.is_number_integer()) {
        long long v = 0;
        if (!parseInteger(text, v))
            throw wrongType("an integer");
        return v >= 0 ? json(static_cast<std::uint64_t>(v)) : json(v); // as parsed from a file
    }
    if (prototype.is_number()) {
        double v = 0;
        if (!parseNumber(text, v))
            throw wrongType("a number");
        return v;
    }
    if (prototype.is_string())
        return text;
    if (prototype.is_null()) {
        const json literal = json::parse(text, nullptr, false);
        return !literal.is_discarded() && literal.is_primitive() ? literal : json(text);
    }
    throw Error("--grid " + key + ": \"" + key + "\" is a " + (prototype.is_array() ? "list" : "section") +
                ", which a grid cannot sweep as a whole; sweep one of its " +
                (prototype.is_array() ? "elements (\"" + key + ".0\")" : "keys"));
}

} // namespace poisonlab::experiment::sweepkeys
