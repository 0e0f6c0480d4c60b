#include "poisonlab/core/data/SplitPlanner.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"

#include <algorithm>
#include <unordered_map>

namespace poisonlab::data {

namespace {

std::string keyOf(const ImageRecord &img)
{
    return std::to_string(img.root) + ":" + img.path;
}

// Shuffles each class's labelled images with its own sub-stream (so adding a class does not
// change the others' draws) and marks `perClass` of them test.
void assignPerClassTest(Dataset &d, const std::vector<int> &candidates, std::uint64_t seed, int perClass)
{
    std::vector<std::vector<int>> byClass(d.classes.size());
    for (int i : candidates) {
        const int label = d.images[static_cast<std::size_t>(i)].label;
        if (label >= 0 && static_cast<std::size_t>(label) < byClass.size())
            byClass[static_cast<std::size_t>(label)].push_back(i);
    }
    for (std::size_t c = 0; c < byClass.size(); ++c) {
        auto &imgs = byClass[c];
        if (static_cast<int>(imgs.size()) < perClass)
            continue;
        std::sort(imgs.begin(), imgs.end(), [&](int a, int b) {
            return d.images[static_cast<std::size_t>(a)].path < d.images[static_cast<std::size_t>(b)].path;
        });
        Rng rng = Rng::derive(seed, c);
        rng.shuffle(imgs);
        for (int k = 0; k < perClass; ++k)
            d.images[static_cast<std::size_t>(imgs[static_cast<std::size_t>(k)])].split = Split::Test;
    }
}

} // namespace

Dataset mergeDatasets(Dataset first, const Dataset &second)
{
    std::vector<int> classMap(second.classes.size());
    for (std::size_t c = 0; c < second.classes.size(); ++c) {
        int idx = first.classIndex(second.classes[c]);
        if (idx < 0) {
            first.classes.push_back(second.classes[c]);
            idx = static_cast<int>(first.classes.size()) - 1;
        }
        classMap[c] = idx;
    }
    const auto rootBase = static_cast<std::uint16_t>(first.extraRoots.size() + 1);
    first.extraRoots.push_back(second.root);
    for (const auto &r : second.extraRoots)
        first.extraRoots.push_back(r);
    const int imageBase = static_cast<int>(first.images.size());
    for (ImageRecord img : second.images) {
        img.root = static_cast<std::uint16_t>(rootBase + img.root);
        for (int &c : img.categories)
            c = classMap[static_cast<std::size_t>(c)];
        if (img.label >= 0)
            img.label = classMap[static_cast<std::size_t>(img.label)];
        first.images.push_back(std::move(img));
    }
    for (CaptionRecord c : second.captions) {
        c.image += imageBase;
        if (c.originalImage >= 0)
            c.originalImage += imageBase;
        first.captions.push_back(std::move(c));
    }
    for (const auto &s : second.skipped)
        first.skipped.push_back({second.name + ": " + s.where, s.reason});
    first.name = first.name + "+" + second.name;
    first.format = first.format + "+" + second.format;
    return first;
}

Dataset SplitPlanner::flickrPascal(Dataset flickr, const Dataset &pascal, std::uint64_t seed, int testPerClass)
{
    bool flickrHasSplits = false;
    for (const auto &img : flickr.images)
        flickrHasSplits = flickrHasSplits || img.split != Split::None;
    for (auto &img : flickr.images) {
        img.split = (!flickrHasSplits || img.split == Split::Train) ? Split::Train : Split::None;
        img.label = -1; // Flickr30k has no classes; only PASCAL's are evaluated
    }
    const int pascalBase = static_cast<int>(flickr.images.size());
    Dataset merged = mergeDatasets(std::move(flickr), pascal);
    std::vector<int> candidates;
    for (std::size_t i = static_cast<std::size_t>(pascalBase); i < merged.images.size(); ++i) {
        merged.images[i].split = Split::Train;
        candidates.push_back(static_cast<int>(i));
    }
    assignPerClassTest(merged, candidates, seed, testPerClass);
    return merged;
}

void SplitPlanner::perClassTest(Dataset &dataset, std::uint64_t seed, int testPerClass)
{
    std::vector<int> all(dataset.images.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        all[i] = static_cast<int>(i);
        dataset.images[i].split = Split::Train;
    }
    assignPerClassTest(dataset, all, seed, testPerClass);
}

void SplitPlanner::keepOwn(Dataset &dataset)
{
    for (auto &img : dataset.images)
        if (img.split == Split::None)
            img.split = Split::Train;
}

nlohmann::json SplitPlanner::saveSplits(const Dataset &dataset, const std::string &method, std::uint64_t seed)
{
    nlohmann::json splits = {
        {"train", nlohmann::json::array()}, {"val", nlohmann::json::array()}, {"test", nlohmann::json::array()}};
    for (const auto &img : dataset.images)
        if (img.split != Split::None)
            splits[std::string(splitName(img.split))].push_back(keyOf(img));
    return {{"version", 1}, {"method", method}, {"seed", seed}, {"dataset", dataset.name}, {"splits", splits}};
}

void SplitPlanner::applySplits(Dataset &dataset, const nlohmann::json &saved)
{
    if (!saved.is_object() || !saved.contains("splits") || !saved["splits"].is_object())
        throw Error("saved splits: expected an object with a \"splits\" object");
    std::unordered_map<std::string, std::size_t> byKey;
    byKey.reserve(dataset.images.size());
    for (std::size_t i = 0; i < dataset.images.size(); ++i)
        byKey.emplace(keyOf(dataset.images[i]), i);
    std::vector<Split> next(dataset.images.size(), Split::None);
    for (const auto &[name, list] : saved["splits"].items()) {
        const auto split = parseSplit(name);
        if (!split || !list.is_array())
            throw Error("saved splits: \"" + name + "\" is not a split with a list of images");
        for (const auto &key : list) {
            if (!key.is_string())
                throw Error("saved splits: \"" + name + "\" holds a non-string entry");
            const auto it = byKey.find(key.get<std::string>());
            if (it == byKey.end())
                throw Error("saved splits: image " + key.get<std::string>() + " is not in the dataset " + dataset.name);
            next[it->second] = *split;
        }
    }
    for (std::size_t i = 0; i < next.size(); ++i)
        dataset.images[i].split = next[i];
}

} // namespace poisonlab::data
