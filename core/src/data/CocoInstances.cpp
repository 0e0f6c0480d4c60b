#include "poisonlab/core/data/CocoInstances.h"

#include "poisonlab/core/Rng.h"
#include "poisonlab/core/data/DatasetBuilder.h"
#include "poisonlab/core/data/JsonPullParser.h"

#include <algorithm>

namespace poisonlab::data {

void readCocoInstances(const std::filesystem::path &file, CocoInstances &into, DatasetBuilder *builder,
                       ProgressReporter &progress)
{
    JsonPullParser json(file);
    const std::string name = file.filename().string();
    auto skip = [&](std::string where, std::string reason) {
        if (builder)
            builder->skip(std::move(where), std::move(reason));
    };
    json.beginObject();
    std::string key, field;
    long long index = 0;
    while (json.nextKey(key)) {
        if (key == "categories") {
            if (json.peek() != JsonPullParser::Type::Array)
                json.fail("\"categories\" must be an array");
            json.beginArray();
            long long i = 0;
            while (json.nextElement()) {
                const std::string where = name + " categories[" + std::to_string(i++) + "]";
                if (json.peek() != JsonPullParser::Type::Object) {
                    json.skipValue();
                    skip(where, "category must be an object");
                    continue;
                }
                CocoInstances::Category cat;
                bool hasId = false, hasName = false, badType = false;
                json.beginObject();
                while (json.nextKey(field)) {
                    if (field == "id")
                        badType |= !(hasId = json.tryReadInteger(cat.id));
                    else if (field == "name")
                        badType |= !(hasName = json.tryReadString(cat.name));
                    else
                        json.skipValue();
                }
                if (!hasId || !hasName || cat.name.empty()) {
                    skip(where, badType ? "wrongly typed \"id\" (integer) or \"name\" (string)"
                                        : "missing key \"id\" or \"name\"");
                    continue;
                }
                auto same = std::find_if(into.categories.begin(), into.categories.end(),
                                         [&](const auto &c) { return c.id == cat.id; });
                if (same == into.categories.end())
                    into.categories.push_back(std::move(cat));
            }
        } else if (key == "annotations") {
            if (json.peek() != JsonPullParser::Type::Array)
                json.fail("\"annotations\" must be an array");
            json.beginArray();
            while (json.nextElement()) {
                const long long i = index++;
                if (builder)
                    builder->tick(progress, name, static_cast<long long>(json.offset()),
                                  static_cast<long long>(json.fileSize()));
                if (json.peek() != JsonPullParser::Type::Object) {
                    json.skipValue();
                    skip(name + " annotations[" + std::to_string(i) + "]", "annotation must be an object");
                    continue;
                }
                long long imageId = 0, categoryId = 0, id = -1;
                int hasImage = 0, hasCategory = 0; // 0 missing, 1 ok, -1 wrong type
                json.beginObject();
                while (json.nextKey(field)) {
                    if (field == "image_id")
                        hasImage = json.tryReadInteger(imageId) ? 1 : -1;
                    else if (field == "category_id")
                        hasCategory = json.tryReadInteger(categoryId) ? 1 : -1;
                    else if (field == "id")
                        json.tryReadInteger(id);
                    else
                        json.skipValue();
                }
                if (hasImage != 1 || hasCategory != 1) {
                    const char *k = hasImage != 1 ? "image_id" : "category_id";
                    const int state = hasImage != 1 ? hasImage : hasCategory;
                    skip(name + " annotations[" + std::to_string(i) + "]" +
                             (id >= 0 ? " (id " + std::to_string(id) + ")" : std::string()),
                         state == 0 ? std::string("missing key \"") + k + "\""
                                    : std::string("key \"") + k + "\" must be an integer");
                    continue;
                }
                into.imageCategories[imageId].push_back(categoryId);
            }
        } else {
            json.skipValue();
        }
    }
    json.expectEnd();
    std::sort(into.categories.begin(), into.categories.end(), [](const auto &a, const auto &b) { return a.id < b.id; });
    for (auto &[image, cats] : into.imageCategories) {
        std::sort(cats.begin(), cats.end());
        cats.erase(std::unique(cats.begin(), cats.end()), cats.end());
    }
}

long long choosePaperLabel(std::uint64_t seed, long long imageId, const std::vector<long long> &sortedCategoryIds)
{
    if (sortedCategoryIds.empty())
        return -1;
    Rng rng = Rng::derive(seed, static_cast<std::uint64_t>(imageId));
    return sortedCategoryIds[static_cast<std::size_t>(rng.below(sortedCategoryIds.size()))];
}

} // namespace poisonlab::data
