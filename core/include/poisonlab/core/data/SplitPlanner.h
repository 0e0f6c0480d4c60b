#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>

namespace poisonlab::data {

/// Merges `second` into `first`: classes are united by name (indices remapped), images keep the
/// path relative to their own root (second's images get ImageRecord::root pointing at an entry
/// of Dataset::extraRoots), captions are appended with re-based image indices. The result's
/// name is "<first>+<second>", its format "<first>+<second>".
Dataset mergeDatasets(Dataset first, const Dataset &second);

/// The paper's splits. Each is seeded with poisonlab::Rng, so the same seed and dataset give the
/// same split on every machine; saveSplits()/applySplits() store it with a run.
class SplitPlanner {
public:
    /// Flickr-PASCAL: train = Flickr30k's train images ∪ PASCAL's train part, test = PASCAL
    /// `testPerClass` images per class (25 in the paper) drawn by `seed`; the rest of PASCAL is
    /// train. Flickr30k's own val/test images are left out (Split::None). `flickr` may be
    /// without splits (then all of it is train).
    static Dataset flickrPascal(Dataset flickr, const Dataset &pascal, std::uint64_t seed, int testPerClass = 25);

    /// Per-class test split (the paper's COCO split: 50 per class): for every class with at least
    /// `testPerClass` labelled images, `testPerClass` of them (by `seed`) become test; every
    /// other image becomes train. Classes with fewer images get no test images.
    static void perClassTest(Dataset &dataset, std::uint64_t seed, int testPerClass = 50);

    /// Keeps the dataset's own split; images without one become train.
    static void keepOwn(Dataset &dataset);

    /// The images' splits as JSON: {"version":1, "method":..., "seed":..., "splits": {"train":
    /// ["<root>:<path>", ...], "val": [...], "test": [...]}} (root = ImageRecord::root).
    static nlohmann::json saveSplits(const Dataset &dataset, const std::string &method, std::uint64_t seed);
    /// Applies saved splits: listed images get their split, unlisted ones Split::None. Throws
    /// poisonlab::Error when the JSON is malformed or names an image the dataset lacks.
    static void applySplits(Dataset &dataset, const nlohmann::json &saved);
};

} // namespace poisonlab::data
