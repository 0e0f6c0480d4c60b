#include "poisonlab/core/eval/AttackMetrics.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Rng.h"

#include <algorithm>
#include <limits>
#include <numeric>

namespace poisonlab::eval {

std::vector<std::int64_t> minRanks(const SimilarityView &sims, const std::vector<int> &queryRows,
                                   const std::vector<int> &targetColumns)
{
    if (targetColumns.empty())
        throw Error("MinRank needs at least one target image");
    for (int t : targetColumns)
        if (t < 0 || t >= sims.cols)
            throw Error("target image column " + std::to_string(t) + " is outside the gallery of " +
                        std::to_string(sims.cols) + " images");
    std::vector<std::int64_t> out;
    out.reserve(queryRows.size());
    for (int q : queryRows) {
        if (q < 0 || q >= sims.rows)
            throw Error("query caption row " + std::to_string(q) + " is outside the " + std::to_string(sims.rows) +
                        " caption rows");
        const float *row = sims.row(q);
        float best = -std::numeric_limits<float>::infinity();
        for (int t : targetColumns)
            best = std::max(best, row[t]);
        out.push_back(countHigher(row, sims.cols, best));
    }
    return out;
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
                            const std::vector<int> &baselineCandidates, std::uint64_t baselineSeed, std::vector<int> ks)
{
    const std::string name = goal.name.empty() ? std::string("goal") : goal.name;
    if (goal.queryRows.empty())
        throw Error("attack goal '" + name + "' has no query captions in the evaluated split");
    if (goal.targetColumns.empty())
        throw Error("attack goal '" + name + "' has no target image in the gallery");
    AttackResult r;
    r.name = name;
    r.attack = summarizeMinRanks(minRanks(sims, goal.queryRows, goal.targetColumns), ks);
    try {
        r.baselineRows = sampleBaselineRows(baselineCandidates, goal.queryRows.size(), baselineSeed);
    } catch (const Error &e) {
        throw Error("attack goal '" + name + "': " + e.what());
    }
    r.baseline = summarizeMinRanks(minRanks(sims, r.baselineRows, goal.targetColumns), std::move(ks));
    return r;
}

} // namespace poisonlab::eval
