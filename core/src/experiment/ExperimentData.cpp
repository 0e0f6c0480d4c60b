#include "poisonlab/core/experiment/ExperimentData.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/attack/PoisonSampling.h"
#include "poisonlab/core/data/SplitPlanner.h"
#include "poisonlab/core/experiment/DatasetChecksum.h"
#include "poisonlab/core/plugin/DatasetOpening.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

#include <algorithm>
#include <map>

namespace poisonlab::experiment {

namespace fs = std::filesystem;

namespace {

bool inSplit(data::Split s, const std::string &split)
{
    return split == "all" || data::splitName(s) == split;
}

} // namespace

void appendDataset(data::Dataset &into, const data::Dataset &part, const std::vector<char> &keep)
{
    if (into.images.empty() && into.root.empty()) {
        into.root = part.root;
        into.format = part.format;
    }
    // Which root the part's images are relative to, in `into`'s numbering.
    std::map<int, std::uint16_t> rootMap;
    auto rootIndex = [&](const fs::path &root) -> std::uint16_t {
        if (root == into.root)
            return 0;
        for (size_t i = 0; i < into.extraRoots.size(); ++i)
            if (into.extraRoots[i] == root)
                return static_cast<std::uint16_t>(i + 1);
        into.extraRoots.push_back(root);
        return static_cast<std::uint16_t>(into.extraRoots.size());
    };
    std::vector<int> classMap(part.classes.size());
    for (size_t c = 0; c < part.classes.size(); ++c) {
        int idx = into.classIndex(part.classes[c]);
        if (idx < 0) {
            into.classes.push_back(part.classes[c]);
            idx = static_cast<int>(into.classes.size()) - 1;
        }
        classMap[c] = idx;
    }
    auto mapClass = [&](int c) { return c >= 0 && static_cast<size_t>(c) < classMap.size() ? classMap[c] : -1; };
    std::vector<int> imageMap(part.images.size(), -1);
    for (size_t i = 0; i < part.images.size(); ++i) {
        if (!keep[i])
            continue;
        data::ImageRecord img = part.images[i];
        const fs::path ownRoot = img.root == 0 ? part.root : part.extraRoots.at(img.root - 1u);
        img.root = rootIndex(ownRoot);
        img.label = mapClass(img.label);
        for (int &c : img.categories)
            c = mapClass(c);
        imageMap[i] = static_cast<int>(into.images.size());
        into.images.push_back(std::move(img));
    }
    for (const auto &cap : part.captions) {
        if (cap.image < 0 || static_cast<size_t>(cap.image) >= part.images.size() || imageMap[cap.image] < 0)
            continue;
        data::CaptionRecord c = cap;
        c.image = imageMap[cap.image];
        c.originalImage = cap.originalImage >= 0 ? imageMap[cap.originalImage] : -1;
        into.captions.push_back(std::move(c));
    }
    into.skipped.insert(into.skipped.end(), part.skipped.begin(), part.skipped.end());
}

data::Split gallerySplit(const std::string &name)
{
    const auto split = data::parseSplit(name);
    return name == "all" || !split ? data::Split::None : *split;
}

std::vector<int> trainingCaptions(const data::Dataset &dataset, const std::string &split)
{
    std::vector<int> out;
    for (size_t c = 0; c < dataset.captions.size(); ++c) {
        const auto &cap = dataset.captions[c];
        const int own = cap.poisoned && cap.originalImage >= 0 ? cap.originalImage : cap.image;
        if (own >= 0 && static_cast<size_t>(own) < dataset.images.size() && inSplit(dataset.images[own].split, split))
            out.push_back(static_cast<int>(c));
    }
    return out;
}

ExperimentData prepareExperimentData(const ExperimentConfig &config, ProgressReporter &progress,
                                     const attack::AttackContext &attackContext)
{
    ExperimentData out;
    out.evalSplit = gallerySplit(config.evalSplit);

    std::map<std::string, data::Dataset> loaded;
    auto load = [&](const std::string &name) -> const data::Dataset & {
        if (auto it = loaded.find(name); it != loaded.end())
            return it->second;
        progress.throwIfCancelled();
        const DatasetSpec &spec = config.dataset(name);
        progress.report({"data", 0, 0, "reading dataset \"" + name + "\"", {}});
        data::Dataset d = plugin::openDataset(spec.source, progress);
        if (d.name.empty())
            d.name = name;
        if (!spec.keepLabels) {
            d.classes.clear();
            for (auto &img : d.images) {
                img.label = -1;
                img.categories.clear();
            }
        }
        if (spec.splitMethod == "per-class-test")
            data::SplitPlanner::perClassTest(d, spec.splitSeed, spec.testPerClass);
        else
            data::SplitPlanner::keepOwn(d);
        out.records.push_back({name, spec.source.format, spec.source.root.string(),
                               static_cast<long long>(d.images.size()), static_cast<long long>(d.captions.size()),
                               datasetChecksum(d)});
        return loaded.emplace(name, std::move(d)).first->second;
    };

    const bool evalInTraining = std::find(config.trainDatasets.begin(), config.trainDatasets.end(),
                                          config.evalDataset) != config.trainDatasets.end();
    data::Dataset merged;
    merged.name = config.name;
    for (size_t k = 0; k < config.trainDatasets.size(); ++k) {
        const std::string &name = config.trainDatasets[k];
        const data::Dataset &d = load(name);
        const DatasetSpec &spec = config.dataset(name);
        std::vector<int> trainImages;
        for (size_t i = 0; i < d.images.size(); ++i)
            if (inSplit(d.images[i].split, config.trainSplit))
                trainImages.push_back(static_cast<int>(i));
        if (spec.maxImages > 0 && static_cast<long long>(trainImages.size()) > spec.maxImages) {
            // A clean share: a seeded sample, kept in dataset order.
            Rng rng = Rng::derive(config.seed, 1000 + k);
            std::vector<int> sample;
            for (size_t i :
                 attack::sampleWithoutReplacement(trainImages.size(), static_cast<size_t>(spec.maxImages), rng))
                sample.push_back(trainImages[i]);
            std::sort(sample.begin(), sample.end());
            trainImages = std::move(sample);
        }
        std::vector<char> keep(d.images.size(), 0);
        for (int i : trainImages)
            keep[i] = 1;
        if (name == config.evalDataset)
            for (size_t i = 0; i < d.images.size(); ++i)
                if (inSplit(d.images[i].split, config.evalSplit) && config.evalSplit != config.trainSplit)
                    keep[i] = 1;
        appendDataset(merged, d, keep);
    }
    if (trainingCaptions(merged, config.trainSplit).empty())
        throw Error(config.file.empty() ? fs::path("experiment config") : config.file,
                    "the training datasets hold no image-caption pairs in the \"" + config.trainSplit + "\" split");

    if (config.attack) {
        progress.throwIfCancelled();
        std::string error;
        auto attack = plugin::PluginRegistry::instance().create<attack::AttackPlugin>(config.attack->plugin, &error);
        if (!attack)
            throw Error("cannot load attack plugin \"" + config.attack->plugin + "\": " + error);
        nlohmann::json options = config.attack->options;
        if (!options.contains("seed"))
            options["seed"] = config.seed;
        if (!options.contains("split"))
            options["split"] = config.trainSplit;
        attack::AttackContext ctx = attackContext;
        if (!ctx.progress)
            ctx.progress = &progress;
        attack::AttackResult result = attack->poison(merged, options, ctx);
        merged = std::move(result.dataset);
        out.poison = std::move(result.manifest);
    }
    out.dataset = std::make_shared<data::Dataset>(std::move(merged));
    if (evalInTraining) {
        out.evalDataset = out.dataset;
    } else {
        out.evalDataset = std::make_shared<const data::Dataset>(load(config.evalDataset));
    }
    // On its own, as read (not the merged, poisoned training set): a clean gallery. The
    // evaluation gallery itself needs no second evaluator.
    if (!config.utilityDataset.empty() &&
        !(config.utilityDataset == config.evalDataset && config.utilitySplit == config.evalSplit)) {
        out.utilitySplit = gallerySplit(config.utilitySplit);
        out.utilityName = config.utilityDataset;
        out.utilityDataset = std::make_shared<const data::Dataset>(load(config.utilityDataset));
    }
    return out;
}

} // namespace poisonlab::experiment
