#include "poisonlab/core/analysis/MinRankGrid.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>

namespace poisonlab::analysis {

namespace {

nlohmann::json matrix(const std::vector<std::vector<std::optional<double>>> &m)
{
    nlohmann::json out = nlohmann::json::array();
    for (const auto &row : m) {
        nlohmann::json r = nlohmann::json::array();
        for (const auto &v : row)
            r.push_back(v ? nlohmann::json(*v) : nlohmann::json());
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

nlohmann::json MinRankGrid::toJson() const
{
    return {{"classes", classes},
            {"hit_k", hitK},
            {"ties", eval::tiesName(ties)},
            {"queries", queries},
            {"targets", targets},
            {"minrank_mean", matrix(minRankMean)},
            {"hit@" + std::to_string(hitK), matrix(hitAtK)}};
}

MinRankGrid minRankGrid(const eval::SimilarityView &sims, const std::vector<int> &captionClass,
                        const std::vector<int> &imageClass, const std::vector<std::string> &classes, int hitK,
                        eval::Ties ties)
{
    const std::size_t C = classes.size();
    if (std::int64_t(captionClass.size()) != sims.rows || std::int64_t(imageClass.size()) != sims.cols)
        throw Error("the MinRank grid got " + std::to_string(captionClass.size()) + " caption and " +
                    std::to_string(imageClass.size()) + " image labels for a " + std::to_string(sims.rows) + " x " +
                    std::to_string(sims.cols) + " similarity matrix");
    for (const auto *labels : {&captionClass, &imageClass})
        for (int k : *labels)
            if (k < -1 || k >= int(C))
                throw Error("the MinRank grid got class index " + std::to_string(k) + " but there are " +
                            std::to_string(C) + " classes");
    MinRankGrid g;
    g.classes = classes;
    g.hitK = hitK;
    g.ties = ties;
    g.queries.assign(C, 0);
    g.targets.assign(C, 0);
    for (int k : captionClass)
        if (k >= 0)
            ++g.queries[std::size_t(k)];
    for (int k : imageClass)
        if (k >= 0)
            ++g.targets[std::size_t(k)];
    std::vector<int> present; // classes with gallery images (columns that get a value)
    for (std::size_t b = 0; b < C; ++b)
        if (g.targets[b] > 0)
            present.push_back(int(b));

    std::vector<std::vector<double>> rankSum(C, std::vector<double>(C, 0.0));
    std::vector<std::vector<std::int64_t>> hits(C, std::vector<std::int64_t>(C, 0));
    std::vector<float> best(C);
    std::vector<std::int64_t> atBest(C); // images of each class scoring its best (the targets, not ties)
    std::vector<std::pair<float, int>> thresholds(present.size()); // (best score, class), ascending
    std::vector<std::int64_t> above(present.size() + 1);
    for (std::int64_t q = 0; q < sims.rows; ++q) {
        const int a = captionClass[std::size_t(q)];
        if (a < 0 || present.empty())
            continue;
        const float *row = sims.row(q);
        std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
        for (std::int64_t i = 0; i < sims.cols; ++i) {
            const int k = imageClass[std::size_t(i)];
            if (k >= 0)
                best[std::size_t(k)] = std::max(best[std::size_t(k)], row[i]);
        }
        if (ties == eval::Ties::Pessimistic) {
            std::fill(atBest.begin(), atBest.end(), 0);
            for (std::int64_t i = 0; i < sims.cols; ++i)
                if (const int k = imageClass[std::size_t(i)]; k >= 0 && row[i] == best[std::size_t(k)])
                    ++atBest[std::size_t(k)];
        }
        for (std::size_t t = 0; t < present.size(); ++t)
            thresholds[t] = {best[std::size_t(present[t])], present[t]};
        std::sort(thresholds.begin(), thresholds.end());
        // A score s is strictly above the thresholds at sorted positions [0, m), m = #{t : t < s}
        // (pessimistic: at or above those at [0, m), m = #{t : t <= s}).
        std::fill(above.begin(), above.end(), 0);
        const auto less = [](const std::pair<float, int> &t, float v) { return t.first < v; };
        const auto notAbove = [](float v, const std::pair<float, int> &t) { return v < t.first; };
        for (std::int64_t i = 0; i < sims.cols; ++i) {
            const float s = row[i];
            const auto m = ties == eval::Ties::Pessimistic
                               ? std::upper_bound(thresholds.begin(), thresholds.end(), s, notAbove)
                               : std::lower_bound(thresholds.begin(), thresholds.end(), s, less);
            ++above[std::size_t(m - thresholds.begin())];
        }
        // count(threshold at position t) = #{scores with m > t} = suffix sum of above[t+1..].
        std::int64_t count = 0;
        for (std::size_t t = present.size(); t-- > 0;) {
            count += above[t + 1];
            const int b = thresholds[t].second;
            // Pessimistic: B's own images at its best score counted themselves; they are the target.
            const std::int64_t rank = ties == eval::Ties::Pessimistic ? count - atBest[std::size_t(b)] : count;
            rankSum[std::size_t(a)][std::size_t(b)] += double(rank);
            if (rank < hitK)
                ++hits[std::size_t(a)][std::size_t(b)];
        }
    }
    g.minRankMean.assign(C, std::vector<std::optional<double>>(C));
    g.hitAtK.assign(C, std::vector<std::optional<double>>(C));
    for (std::size_t a = 0; a < C; ++a)
        for (std::size_t b = 0; b < C; ++b)
            if (g.queries[a] > 0 && g.targets[b] > 0) {
                g.minRankMean[a][b] = rankSum[a][b] / double(g.queries[a]);
                g.hitAtK[a][b] = double(hits[a][b]) / double(g.queries[a]);
            }
    return g;
}

} // namespace poisonlab::analysis
