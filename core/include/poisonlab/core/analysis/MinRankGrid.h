#pragma once

#include "poisonlab/core/eval/SimilarityMatrix.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::analysis {

/// Attack efficacy of every (A, B) class pair at once, as the goal "A's captions retrieve class
/// B's images" would measure it (docs/metrics.md): for each caption q of class A, MinRank =
/// #{ images scoring strictly higher than q's best class-B image } (`ties` optimistic; pessimistic:
/// #{ images not of class B scoring higher or equal }, docs/metrics.md "Ties"). Rows are A, columns B; the
/// diagonal (A -> A) is A's captions retrieving their own class. A class without captions in the
/// split leaves its row empty (nullopt), one without images its column.
struct MinRankGrid {
    std::vector<std::string> classes;
    int hitK = 10;
    eval::Ties ties = eval::Ties::Optimistic; ///< the rank rule ("ties")
    std::vector<std::int64_t> queries;        ///< captions per class (row A)
    std::vector<std::int64_t> targets;        ///< gallery images per class (column B)
    std::vector<std::vector<std::optional<double>>> minRankMean;
    std::vector<std::vector<std::optional<double>>> hitAtK; ///< share of A's captions with MinRank < hitK
    /// {"classes","hit_k","ties","queries","targets","minrank_mean":[[...]],"hit@<K>":[[...]]} (null where empty)
    nlohmann::json toJson() const;
};

/// One pass per caption row: the per-class best scores, then a count of the row's scores above
/// each (the thresholds sorted once per row, each score placed by binary search): O(images * log
/// classes) per caption, no row sort. captionClass / imageClass hold class indices (-1: none).
/// Throws poisonlab::Error when the label vectors do not match the matrix or a class is out of range.
MinRankGrid minRankGrid(const eval::SimilarityView &sims, const std::vector<int> &captionClass,
                        const std::vector<int> &imageClass, const std::vector<std::string> &classes, int hitK = 10,
                        eval::Ties ties = eval::Ties::Optimistic);

} // namespace poisonlab::analysis
