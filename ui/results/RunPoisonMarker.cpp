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

data::DatasetSource sourceOf(const json &spec)
{
    data::DatasetSource s;
    s.format = spec.value("format", "");
    s.root = spec.value("root", "");
    for (const json &a : spec.value("annotations", json::array()))
        if (a.is_string())
            s.annotations.emplace_back(a.get<std::string>());
    if (spec.contains("options") && spec["options"].is_object())
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
        const auto from = imageByPath.find(p.value("original_path", ""));
        const auto to = imageByPath.find(p.value("new_path", ""));
        const std::string text = p.value("text", "");
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
        firstPath = manifest["pairs"][0].value("original_path", "");
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
            if (datasets.contains(name) && fs::exists(fs::path(datasets[name].value("root", "")) / firstPath, ec))
                return sourceOf(datasets[name]);
    for (const auto &name : order)
        if (datasets.contains(name))
            return sourceOf(datasets[name]);
    return std::nullopt;
}

} // namespace poisonlab::ui
