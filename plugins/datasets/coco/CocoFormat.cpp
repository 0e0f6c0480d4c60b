// COCO's official caption and instance annotations (2014 and 2017 releases).
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/CocoInstances.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/data/JsonPullParser.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <unordered_map>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

bool hasPrefixSuffix(const std::string &name, const std::string &prefix)
{
    return name.size() > prefix.size() + 5 && name.rfind(prefix, 0) == 0 && name.substr(name.size() - 5) == ".json";
}

// "captions_train2014.json" -> "train2014"
std::string tagOf(const std::string &name, const std::string &prefix)
{
    return name.substr(prefix.size(), name.size() - prefix.size() - 5);
}

Split splitOfTag(const std::string &tag)
{
    std::string letters;
    for (char c : tag)
        if (std::isalpha(static_cast<unsigned char>(c)))
            letters.push_back(c);
    return parseSplit(letters).value_or(Split::None);
}

struct CocoImage {
    long long id = 0;
    std::string fileName;
    int width = 0, height = 0;
    long long index = 0;
};

struct CocoCaption {
    long long imageId = 0;
    long long id = -1;
    long long index = 0;
    std::string text;
};

class CocoFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        const auto files = annotationFiles(
            source,
            [](const std::string &n) { return hasPrefixSuffix(n, "captions_") || hasPrefixSuffix(n, "instances_"); },
            "COCO captions_<split>.json / instances_<split>.json");
        std::vector<fs::path> captionFiles, instanceFiles;
        for (const auto &f : files) {
            const std::string n = f.filename().string();
            if (hasPrefixSuffix(n, "instances_"))
                instanceFiles.push_back(f);
            else
                captionFiles.push_back(f);
        }
        if (captionFiles.empty())
            throw Error(source.root, "no COCO captions_<split>.json among the annotation files");

        DatasetBuilder builder(metadata().id, source.root, source.options);
        CocoInstances instances;
        for (const auto &f : instanceFiles)
            readCocoInstances(f, instances, &builder, progress);
        std::unordered_map<long long, int> classOfCategory;
        for (const auto &c : instances.categories)
            classOfCategory[c.id] = builder.classIndex(c.name);

        for (const auto &f : captionFiles)
            readCaptions(f, builder, instances, classOfCategory, progress);
        if (instanceFiles.empty())
            builder.skip("instances_<split>.json", "no instances file given: images have no categories or labels");
        return builder.finish();
    }

private:
    // The folder (relative to the root) holding a split's images: imageDir option, else the
    // first of <tag>/, images/<tag>/, ./, images/ that exists.
    static std::string imageFolder(const DatasetBuilder &builder, const std::string &tag)
    {
        const std::string &opt = builder.options().imageDir;
        std::vector<std::string> candidates;
        if (!opt.empty())
            candidates = {opt + "/" + tag, opt};
        else
            candidates = {tag, "images/" + tag, ""};
        std::error_code ec;
        for (const auto &c : candidates)
            if (fs::is_directory(builder.root() / c, ec))
                return c;
        return candidates.front();
    }

    static void readCaptions(const fs::path &file, DatasetBuilder &builder, const CocoInstances &instances,
                             const std::unordered_map<long long, int> &classOfCategory, ProgressReporter &progress)
    {
        const std::string name = file.filename().string();
        const std::string tag = tagOf(name, "captions_");
        const Split split = splitOfTag(tag);
        const std::string folder = imageFolder(builder, tag);
        std::vector<CocoImage> images;
        std::vector<CocoCaption> captions;
        bool sawImages = false, sawAnnotations = false;

        JsonPullParser json(file);
        json.beginObject();
        std::string key, field;
        while (json.nextKey(key)) {
            if (key == "images") {
                sawImages = true;
                const auto readImage = [&](long long i, const std::string &where) {
                    CocoImage img;
                    img.index = i;
                    int hasId = 0, hasFile = 0;
                    long long w = 0, h = 0;
                    json.beginObject();
                    while (json.nextKey(field)) {
                        if (field == "id")
                            hasId = json.tryReadInteger(img.id) ? 1 : -1;
                        else if (field == "file_name")
                            hasFile = json.tryReadString(img.fileName) ? 1 : -1;
                        else if (field == "width")
                            json.tryReadInteger(w);
                        else if (field == "height")
                            json.tryReadInteger(h);
                        else
                            json.skipValue();
                    }
                    if (hasId != 1 || hasFile != 1) {
                        const char *k = hasId != 1 ? "id" : "file_name";
                        const int state = hasId != 1 ? hasId : hasFile;
                        builder.skip(where, state == 0 ? std::string("missing key \"") + k + "\""
                                                       : std::string("key \"") + k + "\" has the wrong type (" +
                                                             (hasId != 1 ? "integer" : "string") + " expected)");
                        return;
                    }
                    // A size that is no int-sized positive number is unknown (0), not wrapped.
                    const auto size = [](long long v) { return v > 0 && v <= INT_MAX ? static_cast<int>(v) : 0; };
                    img.width = size(w);
                    img.height = size(h);
                    images.push_back(std::move(img));
                };
                builder.readRecords(json, progress, name, "images", "\"images\" must be an array",
                                    "image record must be an object", readImage);
            } else if (key == "annotations") {
                sawAnnotations = true;
                const auto readCaption = [&](long long i, const std::string &where) {
                    CocoCaption cap;
                    cap.index = i;
                    int hasImage = 0, hasCaption = 0;
                    json.beginObject();
                    while (json.nextKey(field)) {
                        if (field == "image_id")
                            hasImage = json.tryReadInteger(cap.imageId) ? 1 : -1;
                        else if (field == "caption")
                            hasCaption = json.tryReadString(cap.text) ? 1 : -1;
                        else if (field == "id")
                            json.tryReadInteger(cap.id);
                        else
                            json.skipValue();
                    }
                    if (hasImage != 1 || hasCaption != 1) {
                        const char *k = hasImage != 1 ? "image_id" : "caption";
                        const int state = hasImage != 1 ? hasImage : hasCaption;
                        builder.skip(where + (cap.id >= 0 ? " (id " + std::to_string(cap.id) + ")" : ""),
                                     state == 0 ? std::string("missing key \"") + k + "\""
                                                : std::string("key \"") + k + "\" has the wrong type (" +
                                                      (hasImage != 1 ? "integer" : "string") + " expected)");
                        return;
                    }
                    captions.push_back(std::move(cap));
                };
                builder.readRecords(json, progress, name, "annotations", "\"annotations\" must be an array",
                                    "annotation must be an object", readCaption);
            } else {
                json.skipValue();
            }
        }
        json.expectEnd();
        if (!sawImages || !sawAnnotations)
            throw Error(file, std::string("not a COCO captions file: missing \"") +
                                  (sawImages ? "annotations" : "images") + "\"");

        std::unordered_map<long long, int> indexOfId;
        indexOfId.reserve(images.size());
        std::unordered_map<long long, bool> listed;
        for (const auto &img : images)
            listed[img.id] = true;
        const std::uint64_t seed = builder.options().seed;
        for (const auto &img : images) {
            const std::string where =
                name + " images[" + std::to_string(img.index) + "] (id " + std::to_string(img.id) + ")";
            if (indexOfId.count(img.id)) {
                builder.skip(where, "duplicate image id");
                continue;
            }
            const std::string rel = joinRecordPath(folder, img.fileName);
            const int index = builder.addImage(rel, std::to_string(img.id), split, where);
            if (index < 0)
                continue;
            indexOfId.emplace(img.id, index);
            ImageRecord &record = builder.dataset().images[static_cast<std::size_t>(index)];
            record.width = img.width;
            record.height = img.height;
            if (auto it = instances.imageCategories.find(img.id); it != instances.imageCategories.end()) {
                for (long long cat : it->second)
                    if (auto c = classOfCategory.find(cat); c != classOfCategory.end())
                        builder.addCategory(index, c->second);
                const long long label = choosePaperLabel(seed, img.id, it->second);
                if (auto c = classOfCategory.find(label); c != classOfCategory.end())
                    record.label = c->second;
            }
        }
        std::vector<CocoImage>().swap(images);
        for (auto &cap : captions) {
            const std::string where =
                name + " annotations[" + std::to_string(cap.index) + "] (id " + std::to_string(cap.id) + ")";
            const auto it = indexOfId.find(cap.imageId);
            if (it == indexOfId.end()) {
                builder.skip(where, listed.count(cap.imageId)
                                        ? "its image (id " + std::to_string(cap.imageId) + ") was skipped"
                                        : "image_id " + std::to_string(cap.imageId) + " is not in \"images\"");
                continue;
            }
            builder.addCaption(it->second, std::move(cap.text), where);
        }
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(CocoFormat)
