// The preprocessed records of the paper's code (pascal_train.json, coco_test.json, ...):
// [{"image": "<path>", "caption": "<text>" or ["<text>", ...], "image_id": <id>, "label": <class>}]
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/data/JsonPullParser.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include <algorithm>
#include <set>

namespace {
namespace fs = std::filesystem;
using namespace poisonlab;
using namespace poisonlab::data;

// Integer labels are class indices: classes 0..max are made, so one label must not make billions
// (the paper's datasets have 20 and 80 classes; ImageNet-21k, 21,841).
constexpr long long kMaxIntegerLabel = 100000;

struct PaperRecord {
    long long index = 0;
    std::string image, imageId;
    std::vector<std::string> captions;
    bool hasLabel = false, labelIsInt = false;
    long long labelInt = -1;
    std::string labelName;
};

Split splitFromFileName(const std::string &name)
{
    std::string n = name;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (n.find("train") != std::string::npos)
        return Split::Train;
    if (n.find("test") != std::string::npos)
        return Split::Test;
    if (n.find("val") != std::string::npos)
        return Split::Val;
    return Split::None;
}

class PaperJsonFormat final : public plugin::DatasetFormatPlugin {
public:
    Dataset read(const DatasetSource &source, ProgressReporter &progress) override
    {
        const auto files = annotationFiles(
            source, [](const std::string &n) { return n.size() > 5 && n.substr(n.size() - 5) == ".json"; },
            "records file (*.json)");
        DatasetBuilder builder(metadata().id, source.root, source.options);
        std::optional<Split> forcedSplit;
        if (auto it = source.options.find("split"); it != source.options.end() && it->is_string()) {
            forcedSplit = parseSplit(it->get<std::string>());
            if (!forcedSplit)
                throw Error("dataset option \"split\": unknown split \"" + it->get<std::string>() + "\"");
        }
        std::vector<std::pair<fs::path, std::vector<PaperRecord>>> perFile;
        for (const auto &f : files)
            perFile.emplace_back(f, parse(f, builder, progress));

        // Class names: integer labels index options.classes (or are their own names, "0".."K-1",
        // so class index == label); string labels are sorted names.
        std::vector<std::string> optionClasses;
        if (auto it = source.options.find("classes"); it != source.options.end() && it->is_array())
            for (const auto &c : *it)
                if (c.is_string())
                    optionClasses.push_back(c.get<std::string>());
        long long maxInt = -1;
        std::set<std::string> names;
        for (const auto &[f, records] : perFile)
            for (const auto &r : records)
                if (r.hasLabel && r.labelIsInt)
                    maxInt = std::max(maxInt, r.labelInt);
                else if (r.hasLabel)
                    names.insert(r.labelName);
        for (long long i = 0; i <= maxInt; ++i)
            builder.classIndex(static_cast<std::size_t>(i) < optionClasses.size()
                                   ? optionClasses[static_cast<std::size_t>(i)]
                                   : std::to_string(i));
        for (const auto &n : names)
            builder.classIndex(n);

        for (auto &[file, records] : perFile) {
            const std::string name = file.filename().string();
            const Split split = forcedSplit.value_or(splitFromFileName(name));
            for (auto &r : records) {
                const std::string where = name + " [" + std::to_string(r.index) + "]" +
                                          (r.imageId.empty() ? "" : " (image_id " + r.imageId + ")");
                const int index = builder.addImage(r.image, r.imageId.empty() ? r.image : r.imageId, split, where);
                if (index < 0)
                    continue;
                if (r.hasLabel) {
                    const int label =
                        r.labelIsInt ? builder.classIndex(static_cast<std::size_t>(r.labelInt) < optionClasses.size()
                                                              ? optionClasses[static_cast<std::size_t>(r.labelInt)]
                                                              : std::to_string(r.labelInt))
                                     : builder.classIndex(r.labelName);
                    ImageRecord &img = builder.dataset().images[static_cast<std::size_t>(index)];
                    if (img.label >= 0 && img.label != label)
                        builder.skip(where,
                                     "label differs from an earlier record of the same image; the first is kept");
                    else
                        img.label = label;
                    builder.addCategory(index, img.label);
                }
                for (std::size_t c = 0; c < r.captions.size(); ++c)
                    builder.addCaption(index, std::move(r.captions[c]),
                                       r.captions.size() > 1 ? where + " caption[" + std::to_string(c) + "]" : where);
            }
        }
        return builder.finish();
    }

private:
    static std::vector<PaperRecord> parse(const fs::path &file, DatasetBuilder &builder, ProgressReporter &progress)
    {
        const std::string name = file.filename().string();
        std::vector<PaperRecord> out;
        JsonPullParser json(file);
        std::string key, text;
        builder.readRecords(
            json, progress, name, "", "expected an array of {\"image\", \"caption\", \"image_id\", \"label\"} records",
            "record must be an object", [&](long long i, const std::string &where) {
                PaperRecord r;
                r.index = i;
                std::string problem;
                bool hasImage = false, hasCaption = false;
                json.beginObject();
                while (json.nextKey(key)) {
                    if (key == "image") {
                        hasImage = json.tryReadString(r.image);
                        if (!hasImage)
                            problem = "key \"image\" must be a string";
                    } else if (key == "caption") {
                        hasCaption = true;
                        const auto t = json.peek();
                        if (t == JsonPullParser::Type::String) {
                            r.captions.push_back(json.readString());
                        } else if (t == JsonPullParser::Type::Array) {
                            json.beginArray();
                            while (json.nextElement())
                                if (json.tryReadString(text))
                                    r.captions.push_back(text);
                                else
                                    problem = "key \"caption\" must be a string or a list of strings";
                        } else {
                            json.skipValue();
                            problem = "key \"caption\" must be a string or a list of strings";
                        }
                    } else if (key == "image_id") {
                        const auto t = json.peek();
                        if (t == JsonPullParser::Type::String) {
                            r.imageId = json.readString();
                        } else {
                            long long id = 0;
                            if (json.tryReadInteger(id))
                                r.imageId = std::to_string(id);
                            else
                                problem = "key \"image_id\" must be an integer or a string";
                        }
                    } else if (key == "label") {
                        const auto t = json.peek();
                        if (t == JsonPullParser::Type::String) {
                            r.labelName = json.readString();
                            r.hasLabel = !r.labelName.empty();
                        } else if (t == JsonPullParser::Type::Null) {
                            json.readNull();
                        } else if (json.tryReadInteger(r.labelInt) && r.labelInt >= 0) {
                            r.hasLabel = r.labelIsInt = true;
                            if (r.labelInt >= kMaxIntegerLabel)
                                problem = "key \"label\" must be a class index below " +
                                          std::to_string(kMaxIntegerLabel) + ", got " + std::to_string(r.labelInt);
                        } else {
                            problem = "key \"label\" must be a class name or a non-negative integer";
                        }
                    } else {
                        json.skipValue();
                    }
                }
                if (problem.empty() && !hasImage)
                    problem = "missing key \"image\"";
                if (problem.empty() && !hasCaption)
                    problem = "missing key \"caption\"";
                if (!problem.empty()) {
                    builder.skip(where + (r.imageId.empty() ? "" : " (image_id " + r.imageId + ")"), problem);
                    return;
                }
                out.push_back(std::move(r));
            });
        json.expectEnd();
        return out;
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(PaperJsonFormat)
