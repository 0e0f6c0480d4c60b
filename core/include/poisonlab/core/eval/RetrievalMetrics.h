#pragma once

#include "poisonlab/core/eval/SimilarityMatrix.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <vector>

namespace poisonlab::eval {

/// Recall and rank statistics of one retrieval direction.
struct RecallAtK {
    double r1 = 0, r5 = 0, r10 = 0; ///< shares (0..1) of queries whose 0-based rank < K
    double meanRank = 0;            ///< mean of the 1-based ranks (rank + 1)
    double medianRank = 0;          ///< median of the 1-based ranks (mean of the two middle ones)
    std::int64_t queries = 0;
    std::int64_t tied = 0; ///< queries with another item scoring exactly their target's score
};

/// Utility metrics in the paper code's conventions (ALBEF-style itm_eval):
///  - image retrieval (caption -> image): rank of the caption's own image among all images;
///  - text retrieval (image -> caption): an image's rank is the best rank among its captions.
/// Ranks count gallery items scoring strictly higher (Ties::Optimistic, ties in the target's
/// favour) or higher-or-equal other than the target (Ties::Pessimistic; for text retrieval the
/// "target" is every own caption at the image's best own score). Shares are fractions; the
/// paper's tables print 100 x these.
struct RetrievalMetrics {
    RecallAtK textRetrieval;              ///< image -> caption ("txt_r1" ... in the paper code)
    RecallAtK imageRetrieval;             ///< caption -> image ("img_r1" ...)
    std::vector<std::int64_t> textRanks;  ///< per image (0-based best rank of its captions)
    std::vector<std::int64_t> imageRanks; ///< per caption (0-based rank of its image)
    Ties ties = Ties::Optimistic;         ///< the rule the ranks were counted by

    /// {"text_retrieval":{"r1","r5","r10","mean_rank","median_rank","queries"},
    ///  "image_retrieval":{...}, "r_mean": mean of the six recalls}, as in an evaluation document
    /// (written by EvaluationResult.cpp)
    nlohmann::json toJson() const;
};

/// Computes both directions from a captions x images similarity matrix. captionImage[c] is the
/// column of caption c's image. Every image must have at least one caption; throws
/// poisonlab::Error otherwise (naming the first image without one) or on a bad index.
/// `threads` > 1 splits the rows between threads. Each direction's `tied` counts the queries
/// whose rank the tie rule changes (the same in both modes).
RetrievalMetrics computeRetrievalMetrics(const SimilarityView &sims, const std::vector<int> &captionImage,
                                         int threads = 1, Ties ties = Ties::Optimistic);

/// Recall/rank summary of 0-based ranks.
RecallAtK summarizeRecall(const std::vector<std::int64_t> &ranks);

} // namespace poisonlab::eval
