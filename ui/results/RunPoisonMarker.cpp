#include "results/RunPoisonMarker.h"

#include <filesystem>
#include <string>
#include <unordered_map>

namespace poisonlab::ui {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool sameFolder(const fs::path &a, const fs::path &b)
{
    std::error_code ea, eb;
    const fs::path ca = fs::weakly_canonical(a, ea), cb = fs::weakly_canonical(b, eb);
    return (ea || eb) ? a.lexically_normal() == b.lexically_normal() : ca == cb;
}

/// The string at `key` of an object from a run folder; empty when either is of another type
/// (config.json and the poison manifest come from outside: a wrong type must not throw here).
std::string textOf(const json &j, const char *key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

data::DatasetSource sourceOf(const json &spec)
{
    data::DatasetSource s;
    s.format = textOf(spec, "format");
    s.root = textOf(spec, "root");
    if (spec.is_object() && spec.contains("annotations") && spec["annotations"].is_array())
        for (const json &a : spec["annotations"])
            if (a.is_string())
                s.annotations.emplace_back(a.get<std::string>());
    if (spec.is_object() && spec.contains("options") && spec["options"].is_object())
        s.options = spec["options"];
    return s;
}

} // namespace

RunPoisonMarker::RunMatch RunPoisonMarker::matchRun(const data::Dataset *clean, const json &config,
                                                    const json &manifest)
{
    RunMatch match;
    if (!manifest.is_object() || manifest.value("pairs", json::array()).empty())
        return match;
    if (clean && isRunDataset(*clean, config)) {
        match.marking = mark(*clean, manifest);
        match.kind = match.marking.dataset ? RunMatch::Kind::Marked : RunMatch::Kind::NothingMatched;
        return match;
    }
    match.kind = RunMatch::Kind::OtherDataset;
    match.source = trainingSource(config, manifest);
    return match;
}

RunPoisonMarker::Result RunPoisonMarker::mark(const data::Dataset &clean, const json &manifest)
{
    Result result;
    const json pairs = manifest.is_object() ? manifest.value("pairs", json::array()) : json::array();
    if (!pairs.is_array() || pairs.empty())
        return result;
    std::unordered_map<std::string, int> imageByPath;
    for (std::size_t i = 0; i < clean.images.size(); ++i)
        if (clean.images[i].root == 0)
            imageByPath.emplace(clean.images[i].path, int(i));
    // Captions per image, so each pair looks at a handful of captions only.
    std::unordered_map<int, std::vector<int>> captionsOf;
    for (std::size_t c = 0; c < clean.captions.size(); ++c)
        captionsOf[clean.captions[c].image].push_back(int(c));

    auto copy = std::make_shared<data::Dataset>(clean);
    for (const json &p : pairs) {
        const auto from = imageByPath.find(textOf(p, "original_path"));
        const auto to = imageByPath.find(textOf(p, "new_path"));
        const std::string text = textOf(p, "text");
        int found = -1;
        if (from != imageByPath.end() && to != imageByPath.end())
            for (int c : captionsOf[from->second])
                if (!copy->captions[c].poisoned && copy->captions[c].text == text) {
                    found = c;
                    break;
                }
        if (found < 0) {
            ++result.unmatched;
            continue;
        }
        data::CaptionRecord &caption = copy->captions[found];
        caption.originalImage = caption.image;
        caption.image = to->second;
        caption.poisoned = true;
        ++result.marked;
    }
    if (result.marked > 0)
        result.dataset = std::move(copy);
    return result;
}

bool RunPoisonMarker::isRunDataset(const data::Dataset &dataset, const json &config)
{
    if (!config.is_object() || !config.contains("datasets") || !config["datasets"].is_object())
        return false;
    for (const auto &[name, spec] : config["datasets"].items()) {
        const data::DatasetSource s = sourceOf(spec);
        if (s.format == dataset.format && !s.root.empty() && sameFolder(s.root, dataset.root))
            return true;
    }
    return false;
}

std::optional<data::DatasetSource> RunPoisonMarker::trainingSource(const json &config, const json &manifest)
{
    if (!config.is_object() || !config.contains("datasets") || !config["datasets"].is_object())
        return std::nullopt;
    const json &datasets = config["datasets"];
    std::string firstPath;
    if (manifest.is_object() && manifest.contains("pairs") && manifest["pairs"].is_array() &&
        !manifest["pairs"].empty())
        firstPath = textOf(manifest["pairs"][0], "original_path");
    std::vector<std::string> order;
    if (config.contains("train") && config["train"].is_object())
        for (const json &n : config["train"].value("datasets", json::array()))
            if (n.is_string())
                order.push_back(n.get<std::string>());
    for (const auto &[name, spec] : datasets.items())
        order.push_back(name);
    std::error_code ec;
    if (!firstPath.empty())
        for (const auto &name : order)
            if (datasets.contains(name) && fs::exists(fs::path(textOf(datasets[name], "root")) / firstPath, ec))
                return sourceOf(datasets[name]);
    for (const auto &name : order)
        if (datasets.contains(name))
            return sourceOf(datasets[name]);
    return std::nullopt;
}

} // namespace poisonlab::ui
