#pragma once

#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::eval {

/// A figure a document did not hold (a hand-trimmed file, a post-training epoch record).
inline constexpr double kAbsent = std::numeric_limits<double>::quiet_NaN();

/// R@K and rank statistics of one retrieval direction ("text_retrieval" / "image_retrieval").
/// An absent number is NaN (an absent count empty) and is not written back.
struct RecallFigures {
    double r1 = kAbsent, r5 = kAbsent, r10 = kAbsent;
    double meanRank = kAbsent, medianRank = kAbsent;
    std::optional<std::int64_t> queries;
    std::optional<std::int64_t> tied; ///< queries with a tie at their rank ("tied")

    static RecallFigures from(const RecallAtK &recall);
};

/// Utility: both retrieval directions and R_mean, the mean of their six recalls.
struct UtilityFigures {
    RecallFigures textRetrieval;  ///< image -> caption
    RecallFigures imageRetrieval; ///< caption -> image
    double rMean = kAbsent;

    static UtilityFigures from(const RetrievalMetrics &metrics);
};

/// Hit@K and MinRank of one set of queries (a goal's captions, or its random-caption baseline).
struct RankFigures {
    std::optional<std::int64_t> queries;
    std::map<int, double> hits; ///< K -> share of queries with MinRank < K ("hit@K")
    double minRankMean = kAbsent, minRankMedian = kAbsent;
    std::optional<std::int64_t> minRankMin, minRankMax;
    std::optional<std::vector<std::int64_t>> minRanks; ///< per query; only when written with ranks
    std::optional<std::int64_t> tied;                  ///< queries with a tie at their MinRank ("tied")

    /// Hit@k, NaN when this K was not measured (evaluation options' hitKs).
    double hitAt(int k) const;
    static RankFigures from(const RankSummary &summary, bool withRanks = false);
};

/// One attack goal's figures and what it measured.
struct AttackFigures {
    std::string name;                                      ///< "A->B" or the config's name
    std::string sourceClass;                               ///< class A (empty when absent)
    std::optional<std::vector<std::string>> targetClasses; ///< classes B (empty list for Attack I)
    std::optional<std::int64_t> targetImage;               ///< Attack I: the dataset image
    std::string querySplit;                                ///< where the queries came from
    RankFigures attack;                                    ///< the goal's captions
    RankFigures baseline;                                  ///< random captions, as many
    nlohmann::json extra = nlohmann::json::object();       ///< keys not known here, kept as read

    /// The goal's name, else its source class, else empty.
    std::string label() const;
};

/// The gallery utility was measured on when it is not the evaluation gallery (evaluation.utility).
struct UtilityGallery {
    std::string dataset;
    std::string split;
    std::optional<std::int64_t> galleryImages, captions;
};

/// What Evaluator::evaluate measured on one model: utility (R@K both ways), each goal's attack
/// and baseline figures, and the galleries they came from. The one reader and writer of the
/// evaluation documents of a run directory (metrics.jsonl records, results/final.json
/// "evaluation", results/embeddings/<model>/metrics.json, posttrain.json epochs; shapes in
/// docs/run-directory.md): fromJson(j).toJson().dump() == j.dump() for every document PoisonLab
/// writes. Keys of the document it does not know (a metrics.jsonl record's "type", "model",
/// "epoch") stay in `extra` and are written back as they were.
struct EvaluationResult {
    std::string split; ///< the evaluation gallery's split; empty when absent
    /// The rank rule of every figure ("ties"); absent in documents from before the option.
    std::optional<Ties> ties;
    std::optional<std::int64_t> galleryImages, captions;
    UtilityFigures utility;
    std::optional<UtilityGallery> utilityGallery; ///< set when utility comes from a gallery of its own
    std::vector<AttackFigures> attacks;
    nlohmann::json extra = nlohmann::json::object();

    nlohmann::json toJson() const;
    /// Throws poisonlab::Error naming the key (e.g. `"attacks"[1]."attack"."hit@10"`) when `json`
    /// is not an object with "utility" or "attacks", or holds a value of the wrong type or an
    /// unknown key inside the figures.
    static EvaluationResult fromJson(const nlohmann::json &json);
    /// An object with "utility" or "attacks": what a reader takes for an evaluation document.
    static bool isEvaluation(const nlohmann::json &json);

    /// The goal named `name` (by label()), null when there is none.
    const AttackFigures *attack(const std::string &name) const;
    /// The first goal, null without goals.
    const AttackFigures *firstAttack() const { return attacks.empty() ? nullptr : &attacks.front(); }
    /// Utility and attacks only (what a post-training defense's epoch record keeps).
    EvaluationResult figuresOnly() const;
};

} // namespace poisonlab::eval
