#include "poisonlab/core/experiment/SweepGrid.h"

#include "SweepKeyTypes.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace poisonlab::experiment {

using nlohmann::json;

namespace {

std::string trimmed(const std::string &text)
{
    const auto first = text.find_first_not_of(" \t");
    if (first == std::string::npos)
        return {};
    return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> splitAt(const std::string &text, char sep)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto pos = text.find(sep, start);
        parts.push_back(trimmed(text.substr(start, pos == std::string::npos ? std::string::npos : pos - start)));
        if (pos == std::string::npos)
            return parts;
        start = pos + 1;
    }
}

// Letters, digits and . _ - + = stay; anything else (spaces, slashes, colons) becomes '-'.
std::string fileSafe(const std::string &text)
{
    std::string out = text;
    for (char &c : out) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                          c == '_' || c == '-' || c == '+' || c == '=';
        if (!keep)
            c = '-';
    }
    if (!out.empty() && out.front() == '.')
        out.front() = '_';
    return out;
}

// The last `depth` parts of a key: "attack.options.rate" -> "rate" (1), "options.rate" (2); a
// list index never starts it ("goals.0.target", not "0.target").
std::string keyTail(const std::string &key, std::size_t depth)
{
    const auto parts = sweepkeys::splitKey(key);
    std::size_t first = parts.size() > depth ? parts.size() - depth : 0;
    while (first > 0 && !parts[first].empty() && std::isdigit(static_cast<unsigned char>(parts[first][0])))
        --first;
    std::string out;
    for (std::size_t i = first; i < parts.size(); ++i)
        out += (out.empty() ? "" : ".") + parts[i];
    return out;
}

// An axis' keys joined by '+', each by its last part, longer where two of them read alike.
std::string axisLabel(const SweepAxis &axis, std::size_t depth)
{
    const auto keys = axis.keys();
    std::vector<std::size_t> depths(keys.size(), depth);
    for (int round = 0; round < 16; ++round) {
        bool clash = false;
        for (std::size_t a = 0; a < keys.size(); ++a)
            for (std::size_t b = a + 1; b < keys.size(); ++b)
                if (keyTail(keys[a], depths[a]) == keyTail(keys[b], depths[b])) {
                    ++depths[a];
                    ++depths[b];
                    clash = true;
                }
        if (!clash)
            break;
    }
    std::string out;
    for (std::size_t k = 0; k < keys.size(); ++k)
        out += (out.empty() ? "" : "+") + keyTail(keys[k], depths[k]);
    return out;
}

// Each axis' name in cell names: the key's last part, longer where two axes would read alike.
std::vector<std::string> axisLabels(const std::vector<SweepAxis> &axes)
{
    std::vector<std::size_t> depth(axes.size(), 1);
    for (int round = 0; round < 16; ++round) {
        bool clash = false;
        for (std::size_t a = 0; a < axes.size(); ++a)
            for (std::size_t b = a + 1; b < axes.size(); ++b)
                if (axisLabel(axes[a], depth[a]) == axisLabel(axes[b], depth[b])) {
                    ++depth[a];
                    ++depth[b];
                    clash = true;
                }
        if (!clash)
            break;
    }
    std::vector<std::string> labels;
    for (std::size_t a = 0; a < axes.size(); ++a)
        labels.push_back(axisLabel(axes[a], depth[a]));
    return labels;
}

std::string valueInName(const json &value)
{
    if (!value.is_array())
        return SweepAxis::valueLabel(value);
    std::string out;
    for (const auto &v : value)
        out += (out.empty() ? "" : "+") + SweepAxis::valueLabel(v);
    return out;
}

} // namespace

SweepGrid::SweepGrid(json resolvedConfig, std::vector<SweepAxis> axes)
    : m_config(std::move(resolvedConfig)), m_axes(std::move(axes))
{
    std::set<std::string> keys;
    for (const auto &axis : m_axes) {
        if (axis.values.empty())
            throw Error("--grid " + axis.key + ": no values");
        for (const auto &k : axis.keys())
            if (!keys.insert(k).second)
                throw Error("--grid " + k + ": the key is swept twice; give all its values in one --grid");
    }
}

SweepAxis SweepGrid::parseAxis(const json &resolvedConfig, const std::string &spec)
{
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || trimmed(spec.substr(eq + 1)).empty())
        throw Error("--grid expects KEY=V1,V2,... (or K1+K2=A1:B1,A2:B2), got \"" + spec + "\"");
    SweepAxis axis{trimmed(spec.substr(0, eq)), {}};
    const auto keys = axis.keys();
    std::vector<json> prototypes;
    for (const auto &k : keys)
        prototypes.push_back(sweepkeys::prototypeAt(resolvedConfig, k));
    for (const auto &text : splitAt(spec.substr(eq + 1), ',')) {
        const auto parts = keys.size() > 1 ? splitAt(text, ':') : std::vector<std::string>{text};
        if (parts.size() != keys.size())
            throw Error("--grid " + axis.key + ": value \"" + text + "\" needs " + std::to_string(keys.size()) +
                        " parts separated by ':', one per key");
        json value = json::array();
        for (std::size_t i = 0; i < keys.size(); ++i) {
            if (parts[i].empty())
                throw Error("--grid " + axis.key + ": an empty value in \"" + spec.substr(eq + 1) + "\"");
            value.push_back(sweepkeys::typedValue(prototypes[i], keys[i], parts[i]));
        }
        if (keys.size() == 1)
            value = value[0];
        if (std::find(axis.values.begin(), axis.values.end(), value) != axis.values.end())
            throw Error("--grid " + axis.key + ": value \"" + text + "\" is given twice");
        axis.values.push_back(std::move(value));
    }
    return axis;
}

SweepGrid SweepGrid::parse(const json &resolvedConfig, const std::vector<std::string> &specs)
{
    if (specs.empty())
        throw Error("a sweep needs at least one --grid KEY=V1,V2,...");
    std::vector<SweepAxis> axes;
    for (const auto &spec : specs)
        axes.push_back(parseAxis(resolvedConfig, spec));
    return SweepGrid(resolvedConfig, std::move(axes));
}

std::vector<SweepCell> SweepGrid::cells() const
{
    const auto labels = axisLabels(m_axes);
    std::vector<SweepCell> out;
    std::vector<std::size_t> at(m_axes.size(), 0); // an odometer over the axes, the last fastest
    std::set<std::string> names;
    while (true) {
        SweepCell cell;
        cell.overrides = json::object();
        for (std::size_t a = 0; a < m_axes.size(); ++a) {
            const SweepAxis &axis = m_axes[a];
            const json &value = axis.values[at[a]];
            const auto keys = axis.keys();
            for (std::size_t k = 0; k < keys.size(); ++k)
                cell.overrides[keys[k]] = keys.size() > 1 ? value[k] : value;
            cell.name += (a ? "_" : "") + fileSafe(labels[a] + "=" + valueInName(value));
        }
        if (!names.insert(cell.name).second)
            throw Error("two cells of the grid would both be named \"" + cell.name +
                        "\" (values that differ only in characters a file name cannot hold)");
        cell.runDir = std::filesystem::path("cells") / cell.name / "run";
        cell.configFile = std::filesystem::path("cells") / cell.name / "config.json";
        out.push_back(std::move(cell));
        std::size_t a = m_axes.size();
        while (a > 0 && ++at[a - 1] == m_axes[a - 1].values.size())
            at[--a] = 0;
        if (a == 0)
            return out;
    }
}

json SweepGrid::applyOverrides(json config, const json &overrides)
{
    for (auto it = overrides.begin(); it != overrides.end(); ++it) {
        json *node = &config;
        const auto parts = sweepkeys::splitKey(it.key());
        for (const auto &part : parts) {
            if (node->is_array()) {
                const std::size_t index = std::stoul(part);
                if (index >= node->size())
                    throw Error("override " + it.key() + ": no element " + part + " in the list");
                node = &(*node)[index];
            } else if (node->is_object() || node->is_null()) {
                node = &(*node)[part];
            } else {
                throw Error("override " + it.key() + ": \"" + part + "\" is under a value, not a section");
            }
        }
        *node = it.value();
    }
    return config;
}

} // namespace poisonlab::experiment
