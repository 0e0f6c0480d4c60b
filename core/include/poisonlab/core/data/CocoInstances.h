#pragma once

#include "poisonlab/core/Progress.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <vector>

namespace poisonlab::data {

class DatasetBuilder;

/// What the importers need from a COCO instances_<split>.json: the categories and, per image
/// id, the categories annotated on it. Segmentation, boxes and areas are skipped while streaming.
struct CocoInstances {
    struct Category {
        long long id = 0;
        std::string name;
    };
    std::vector<Category> categories;                                      ///< sorted by id
    std::unordered_map<long long, std::vector<long long>> imageCategories; ///< image id -> category ids, sorted, unique
};

/// Streams one instances file (throws poisonlab::Error with file and line on malformed JSON).
/// Bad annotation records are reported to `builder` (when given) as skipped and ignored.
/// Merges into `into`, so train and val files can share one CocoInstances.
void readCocoInstances(const std::filesystem::path &file, CocoInstances &into, DatasetBuilder *builder,
                       ProgressReporter &progress);

/// The paper's single label per image: a seeded random choice among its annotated categories
/// (the paper's preprocessing uses random.choice). The choice depends only on (seed, image id)
/// and the sorted category list, so it does not change with file order. Returns -1 for none.
long long choosePaperLabel(std::uint64_t seed, long long imageId, const std::vector<long long> &sortedCategoryIds);

} // namespace poisonlab::data
