#include "poisonlab/core/eval/AttackMetrics.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace poisonlab::eval {

QueryRanks rankQueries(const SimilarityView &sims, const std::vector<int> &queryRows,
                       const std::vector<int> &targetColumns, Ties ties)
{
    if (targetColumns.empty())
        throw Error("MinRank needs at least one target image");
    for (int t : targetColumns)
        if (t < 0 || t >= sims.cols)
            throw Error("target image column " + std::to_string(t) + " is outside the gallery of " +
                        std::to_string(sims.cols) + " images");
    // Each target counted once when some score the best (they are the target, not ties).
    std::vector<int> targets = targetColumns;
    std::sort(targets.begin(), targets.end());
    targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
    QueryRanks out;
    out.ranks.reserve(queryRows.size());
    for (int q : queryRows) {
        if (q < 0 || q >= sims.rows)
            throw Error("query caption row " + std::to_string(q) + " is outside the " + std::to_string(sims.rows) +
                        " caption rows");
        const float *row = sims.row(q);
        float best = -std::numeric_limits<float>::infinity();
        for (int t : targets)
            best = std::max(best, row[t]);
        std::int64_t atBest = 0;
        for (int t : targets)
            atBest += row[t] == best ? 1 : 0;
        const RankCount count = countRank(row, sims.cols, best);
        out.ranks.push_back(count.rank(ties, atBest));
        out.tied += count.tiedOthers(atBest) > 0;
    }
    return out;
}

std::vector<std::int64_t> minRanks(const SimilarityView &sims, const std::vector<int> &queryRows,
                                   const std::vector<int> &targetColumns, Ties ties)
{
    return rankQueries(sims, queryRows, targetColumns, ties).ranks;
}

RankSummary summarizeMinRanks(QueryRanks ranks, std::vector<int> ks)
{
    RankSummary s = summarizeMinRanks(std::move(ranks.ranks), std::move(ks));
    s.tied = ranks.tied;
    return s;
}

RankSummary summarizeMinRanks(std::vector<std::int64_t> ranks, std::vector<int> ks)
{
    RankSummary s;
    s.queries = std::int64_t(ranks.size());
    s.ks = std::move(ks);
    s.hits.assign(s.ks.size(), 0.0);
    s.minRanks = std::move(ranks);
    if (s.minRanks.empty())
        return s;
    const double n = double(s.minRanks.size());
    for (std::size_t k = 0; k < s.ks.size(); ++k)
        s.hits[k] =
            double(std::count_if(s.minRanks.begin(), s.minRanks.end(), [&](std::int64_t r) { return r < s.ks[k]; })) /
            n;
    std::vector<std::int64_t> sorted = s.minRanks;
    std::sort(sorted.begin(), sorted.end());
    s.meanMinRank = double(std::accumulate(sorted.begin(), sorted.end(), std::int64_t(0))) / n;
    const std::size_t m = sorted.size();
    s.medianMinRank = m % 2 ? double(sorted[m / 2]) : (double(sorted[m / 2 - 1]) + double(sorted[m / 2])) / 2.0;
    s.minMinRank = sorted.front();
    s.maxMinRank = sorted.back();
    return s;
}

double RankSummary::hitAt(int k) const
{
    for (std::size_t i = 0; i < ks.size(); ++i)
        if (ks[i] == k)
            return hits[i];
    throw Error("Hit@" + std::to_string(k) + " was not computed");
}

std::vector<int> sampleBaselineRows(const std::vector<int> &candidates, std::size_t count, std::uint64_t seed)
{
    if (candidates.size() < count)
        throw Error("the random-caption baseline needs " + std::to_string(count) + " test captions but only " +
                    std::to_string(candidates.size()) + " are available");
    std::vector<int> pool = candidates;
    Rng rng(seed);
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t j = i + std::size_t(rng.below(pool.size() - i));
        std::swap(pool[i], pool[j]);
    }
    pool.resize(count);
    return pool;
}

AttackResult evaluateAttack(const SimilarityView &sims, const AttackGoal &goal,
                            const std::vector<int> &baselineCandidates, std::uint64_t baselineSeed, std::vector<int> ks,
                            Ties ties)
{
    const std::string name = goal.name.empty() ? std::string("goal") : goal.name;
    if (goal.queryRows.empty())
        throw Error("attack goal '" + name + "' has no query captions in the evaluated split");
    if (goal.targetColumns.empty())
        throw Error("attack goal '" + name + "' has no target image in the gallery");
    AttackResult r;
    r.name = name;
    r.attack = summarizeMinRanks(rankQueries(sims, goal.queryRows, goal.targetColumns, ties), ks);
    try {
        r.baselineRows = sampleBaselineRows(baselineCandidates, goal.queryRows.size(), baselineSeed);
    } catch (const Error &e) {
        throw Error("attack goal '" + name + "': " + e.what());
    }
    r.baseline = summarizeMinRanks(rankQueries(sims, r.baselineRows, goal.targetColumns, ties), std::move(ks));
    return r;
}

} // namespace poisonlab::eval
