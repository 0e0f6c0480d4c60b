#pragma once

#include "dataset/DatasetPtr.h"
#include "poisonlab/core/data/DatasetSource.h"

#include <nlohmann/json.hpp>

#include <optional>

namespace poisonlab::ui {

/// Marks a run's poisoned pairs (poison/manifest.json) in a dataset opened in the browser, so the
/// browser shows each poisoned caption on its new image (a sheep caption on an aeroplane picture)
/// with the "poisoned" flag. Pairs are matched by image paths and caption text, not by index:
/// the run's dataset was a merged, re-split copy whose caption indices differ from the file's.
class RunPoisonMarker {
public:
    struct Result {
        DatasetPtr dataset; ///< a copy with the pairs applied (null when nothing matched)
        int marked = 0;
        int unmatched = 0; ///< manifest pairs whose images or caption are not in the dataset
    };

    /// Applies `manifest`'s "pairs" to a copy of `clean`.
    static Result mark(const data::Dataset &clean, const nlohmann::json &manifest);
    /// True when `dataset` is one of the datasets the run's `config` (config.json) names: same
    /// format and the same root folder.
    static bool isRunDataset(const data::Dataset &dataset, const nlohmann::json &config);
    /// What a finished run means for the dataset open in the browser.
    struct RunMatch {
        enum class Kind {
            NoPoison,       ///< a clean run (or no pairs in its manifest): nothing to do
            Marked,         ///< `marking` holds the dataset with the run's pairs applied
            NothingMatched, ///< the run is about this dataset, but none of its pairs is in it
            OtherDataset,   ///< the pairs are in `source` (when known), not in the open dataset
        };
        Kind kind = Kind::NoPoison;
        Result marking;
        std::optional<data::DatasetSource> source;
    };
    /// Matches the run (its config.json and poison manifest) against `clean`, the dataset as
    /// opened (null when none is open), and marks the pairs when the run is about it.
    static RunMatch matchRun(const data::Dataset *clean, const nlohmann::json &config, const nlohmann::json &manifest);

    /// The dataset of `config` that holds the poisoned pairs' images (the first pair's original
    /// image exists under its root), else the first training dataset; std::nullopt when none.
    static std::optional<data::DatasetSource> trainingSource(const nlohmann::json &config,
                                                             const nlohmann::json &manifest);
};

} // namespace poisonlab::ui
