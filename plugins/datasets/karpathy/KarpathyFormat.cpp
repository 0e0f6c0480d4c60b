// Karpathy's split files: dataset_flickr30k.json, dataset_flickr8k.json, dataset_coco.json.
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/CocoInstances.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/data/JsonPullParser.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <unordered_map>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

struct KarpathyImage {
    long long index = 0;
    std::string filename, filepath, split;
    long long cocoid = -1;
    std::vector<std::string> sentences;
    std::vector<std::string> badSentences; // "sentences[i]: reason"
};

bool isInstances(const std::string &n)
{
    return n.rfind("instances_", 0) == 0 && n.size() > 15 && n.substr(n.size() - 5) == ".json";
}

class KarpathyFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        const auto files = annotationFiles(
            source,
            [](const std::string &n) {
                return (n.rfind("dataset_", 0) == 0 && n.size() > 13 && n.substr(n.size() - 5) == ".json") ||
                       isInstances(n);
            },
            "Karpathy dataset_<name>.json");
        DatasetBuilder builder(metadata().id, source.root, source.options);
        CocoInstances instances;
        bool haveInstances = false;
        for (const auto &f : files) {
            if (isInstances(f.filename().string())) {
                readCocoInstances(f, instances, &builder, progress);
                haveInstances = true;
            }
        }
        std::unordered_map<long long, int> classOfCategory;
        for (const auto &c : instances.categories)
            classOfCategory[c.id] = builder.classIndex(c.name);
        int splitFiles = 0;
        for (const auto &f : files) {
            if (isInstances(f.filename().string()))
                continue;
            ++splitFiles;
            readSplitFile(f, builder, progress, haveInstances ? &instances : nullptr, classOfCategory);
        }
        if (splitFiles == 0)
            throw Error(source.root, "no Karpathy dataset_<name>.json among the annotation files");
        return builder.finish();
    }

private:
    static std::vector<KarpathyImage> parse(const fs::path &file, DatasetBuilder &builder, ProgressReporter &progress)
    {
        const std::string name = file.filename().string();
        std::vector<KarpathyImage> out;
        JsonPullParser json(file);
        json.beginObject();
        std::string key, field, sfield, text;
        bool sawImages = false;
        while (json.nextKey(key)) {
            if (key != "images") {
                json.skipValue();
                continue;
            }
            sawImages = true;
            builder.readRecords(
                json, progress, name, "images", "\"images\" must be an array", "image record must be an object",
                [&](long long i, const std::string &where) {
                    KarpathyImage img;
                    img.index = i;
                    std::string problem;
                    bool hasFile = false, hasSentences = false;
                    json.beginObject();
                    while (json.nextKey(field)) {
                        if (field == "filename") {
                            hasFile = json.tryReadString(img.filename);
                            if (!hasFile)
                                problem = "key \"filename\" must be a string";
                        } else if (field == "filepath") {
                            if (!json.tryReadString(img.filepath))
                                problem = "key \"filepath\" must be a string";
                        } else if (field == "split") {
                            if (!json.tryReadString(img.split))
                                problem = "key \"split\" must be a string";
                        } else if (field == "cocoid") {
                            json.tryReadInteger(img.cocoid);
                        } else if (field == "sentences") {
                            hasSentences = true;
                            if (json.peek() != JsonPullParser::Type::Array) {
                                json.skipValue();
                                problem = "key \"sentences\" must be an array";
                                continue;
                            }
                            json.beginArray();
                            for (int s = 0; json.nextElement(); ++s) {
                                if (json.peek() != JsonPullParser::Type::Object) {
                                    json.skipValue();
                                    img.badSentences.push_back("sentences[" + std::to_string(s) +
                                                               "]: must be an object");
                                    continue;
                                }
                                bool hasRaw = false;
                                std::string tokens;
                                json.beginObject();
                                while (json.nextKey(sfield)) {
                                    if (sfield == "raw") {
                                        hasRaw = json.tryReadString(text);
                                    } else if (sfield == "tokens" && json.peek() == JsonPullParser::Type::Array) {
                                        json.beginArray();
                                        std::string tok;
                                        while (json.nextElement())
                                            if (json.tryReadString(tok))
                                                tokens += (tokens.empty() ? "" : " ") + tok;
                                    } else {
                                        json.skipValue();
                                    }
                                }
                                if (hasRaw)
                                    img.sentences.push_back(std::move(text));
                                else if (!tokens.empty())
                                    img.sentences.push_back(std::move(tokens)); // older files lack "raw"
                                else
                                    img.badSentences.push_back("sentences[" + std::to_string(s) +
                                                               "]: missing key \"raw\" (string)");
                            }
                        } else {
                            json.skipValue();
                        }
                    }
                    if (problem.empty() && !hasFile)
                        problem = "missing key \"filename\"";
                    if (problem.empty() && !hasSentences)
                        problem = "missing key \"sentences\"";
                    if (!problem.empty()) {
                        builder.skip(where + (img.filename.empty() ? "" : " (" + img.filename + ")"), problem);
                        return;
                    }
                    out.push_back(std::move(img));
                });
        }
        json.expectEnd();
        if (!sawImages)
            throw Error(file, "not a Karpathy split file: missing \"images\"");
        return out;
    }

    static std::string relativePath(const std::string &folder, const KarpathyImage &img)
    {
        if (img.filepath.empty())
            return joinRecordPath(folder, img.filename);
        const std::string inner = joinRecordPath(img.filepath, img.filename);
        return joinRecordPath(folder, inner);
    }

    // The images folder: the imageDir option, else the first of the usual places where the first
    // record's file exists (flickr30k-images/, images/, the root...).
    static std::string imageFolder(const DatasetBuilder &builder, const std::vector<KarpathyImage> &images)
    {
        if (!builder.options().imageDir.empty())
            return builder.options().imageDir;
        const std::vector<std::string> candidates = {
            "", "flickr30k-images", "flickr8k-images", "Flicker8k_Dataset", "images", "Images"};
        std::error_code ec;
        for (std::size_t i = 0; i < images.size() && i < 8; ++i)
            for (const auto &c : candidates)
                if (fs::exists(builder.root() / relativePath(c, images[i]), ec))
                    return c;
        for (const auto &c : candidates)
            if (!c.empty() && fs::is_directory(builder.root() / c, ec))
                return c;
        return "";
    }

    static void readSplitFile(const fs::path &file, DatasetBuilder &builder, ProgressReporter &progress,
                              const CocoInstances *instances, const std::unordered_map<long long, int> &classOfCategory)
    {
        const std::string name = file.filename().string();
        std::vector<KarpathyImage> images = parse(file, builder, progress);
        const std::string folder = imageFolder(builder, images);
        for (auto &img : images) {
            const std::string where = name + " images[" + std::to_string(img.index) + "] (" + img.filename + ")";
            Split split = Split::None;
            if (!img.split.empty()) {
                auto parsed = parseSplit(img.split);
                if (!parsed) {
                    builder.skip(where, "unknown split \"" + img.split + "\"");
                    continue;
                }
                split = *parsed;
            }
            const std::string sourceId = img.cocoid >= 0 ? std::to_string(img.cocoid) : img.filename;
            const int index = builder.addImage(relativePath(folder, img), sourceId, split, where);
            if (index < 0)
                continue;
            for (const auto &bad : img.badSentences)
                builder.skip(where + " " + bad.substr(0, bad.find(':')), bad.substr(bad.find(':') + 2));
            for (std::size_t s = 0; s < img.sentences.size(); ++s)
                builder.addCaption(index, std::move(img.sentences[s]), where + " sentences[" + std::to_string(s) + "]");
            if (instances && img.cocoid >= 0) {
                if (auto it = instances->imageCategories.find(img.cocoid); it != instances->imageCategories.end()) {
                    for (long long cat : it->second)
                        if (auto c = classOfCategory.find(cat); c != classOfCategory.end())
                            builder.addCategory(index, c->second);
                    const long long label = choosePaperLabel(builder.options().seed, img.cocoid, it->second);
                    if (auto c = classOfCategory.find(label); c != classOfCategory.end())
                        builder.dataset().images[static_cast<std::size_t>(index)].label = c->second;
                }
            }
        }
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(KarpathyFormat)
