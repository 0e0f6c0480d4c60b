#pragma once

#include "poisonlab/core/eval/SimilarityMatrix.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace poisonlab::eval {

/// Hit@K and MinRank statistics of a set of queries (paper: Hit@K = share of queries whose
/// MinRank < K; MinRank is 0-based).
struct RankSummary {
    std::int64_t queries = 0;
    std::vector<int> ks;      ///< the K of each hit value, default {1, 5, 10, 20, 50}
    std::vector<double> hits; ///< share (0..1) of queries with MinRank < ks[i]
    double meanMinRank = 0, medianMinRank = 0;
    std::int64_t minMinRank = 0, maxMinRank = 0;
    std::vector<std::int64_t> minRanks; ///< per query, in query order
    std::int64_t tied = 0;              ///< queries with a non-target image scoring exactly their best target's score

    double hitAt(int k) const; ///< throws poisonlab::Error for a K not in ks
    /// {"queries","hit@1",...,"minrank_mean","minrank_median","minrank_min","minrank_max"} (and
    /// "minranks"), as in an evaluation document (written by EvaluationResult.cpp)
    nlohmann::json toJson(bool withRanks = false) const;
};

/// MinRanks of a set of queries and how many of them had a tie at their rank.
struct QueryRanks {
    std::vector<std::int64_t> ranks;
    std::int64_t tied = 0;
};

/// MinRank of each query row: the 0-based rank of the best-scoring target column among all
/// columns = number of columns scoring strictly higher than max over targets (Ties::Optimistic),
/// or number of non-target columns scoring higher or equal (Ties::Pessimistic). targetColumns
/// must be non-empty. A query is tied when a non-target column scores exactly the best target's
/// score (the two modes differ on it).
QueryRanks rankQueries(const SimilarityView &sims, const std::vector<int> &queryRows,
                       const std::vector<int> &targetColumns, Ties ties = Ties::Optimistic);
/// rankQueries(...).ranks
std::vector<std::int64_t> minRanks(const SimilarityView &sims, const std::vector<int> &queryRows,
                                   const std::vector<int> &targetColumns, Ties ties = Ties::Optimistic);

RankSummary summarizeMinRanks(std::vector<std::int64_t> ranks, std::vector<int> ks = {1, 5, 10, 20, 50});
/// The same, with the queries' tie count.
RankSummary summarizeMinRanks(QueryRanks ranks, std::vector<int> ks = {1, 5, 10, 20, 50});

/// One attack goal: captions of class A should retrieve the target images (Attack I: the one
/// target image; II/III: every gallery image of class B).
struct AttackGoal {
    std::string name;               ///< e.g. "sheep->aeroplane"
    std::vector<int> queryRows;     ///< caption rows of class A
    std::vector<int> targetColumns; ///< gallery columns of the target image(s)
};

/// The goal's queries and the baseline: the same number of captions drawn (seeded, without
/// replacement) from baselineCandidates and queried against the same targets.
struct AttackResult {
    std::string name;
    RankSummary attack;
    RankSummary baseline;
    std::vector<int> baselineRows;
    /// {"name","attack","baseline"} (and "baseline_rows"), written by EvaluationResult.cpp
    nlohmann::json toJson(bool withRanks = false) const;
};

/// Throws poisonlab::Error when the goal has no queries or targets, or when baselineCandidates
/// holds fewer rows than the goal has queries (the message gives both counts).
AttackResult evaluateAttack(const SimilarityView &sims, const AttackGoal &goal,
                            const std::vector<int> &baselineCandidates, std::uint64_t baselineSeed,
                            std::vector<int> ks = {1, 5, 10, 20, 50}, Ties ties = Ties::Optimistic);

/// `count` distinct rows drawn from candidates with poisonlab::Rng(seed) (partial Fisher-Yates),
/// in draw order. Throws poisonlab::Error when there are too few candidates.
std::vector<int> sampleBaselineRows(const std::vector<int> &candidates, std::size_t count, std::uint64_t seed);

} // namespace poisonlab::eval
