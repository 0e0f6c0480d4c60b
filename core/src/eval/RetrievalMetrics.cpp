#include "poisonlab/core/eval/RetrievalMetrics.h"

#include "RankClones.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <limits>
#include <thread>

namespace poisonlab::eval {

namespace {

double median(std::vector<std::int64_t> values)
{
    if (values.empty())
        return 0.0;
    const std::size_t n = values.size();
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(n / 2), values.end());
    const double upper = double(values[n / 2]);
    if (n % 2 == 1)
        return upper;
    const double lower = double(*std::max_element(values.begin(), values.begin() + std::ptrdiff_t(n / 2)));
    return (lower + upper) / 2.0;
}

/// Runs body(begin, end, threadIndex) over [0, n) split into `threads` contiguous ranges.
template <typename Body>
void parallelRows(std::int64_t n, int threads, Body body)
{
    threads = std::max(1, std::min<int>(threads, int(std::max<std::int64_t>(1, n / 256))));
    if (threads == 1) {
        body(std::int64_t(0), n, 0);
        return;
    }
    std::vector<std::thread> pool;
    const std::int64_t chunk = (n + threads - 1) / threads;
    for (int t = 0; t < threads; ++t) {
        const std::int64_t b = std::min(n, t * chunk), e = std::min(n, b + chunk);
        pool.emplace_back([=, &body] { body(b, e, t); });
    }
    for (auto &th : pool)
        th.join();
}

/// hi[i] += row[i] > thr[i]; returns #{i : row[i] == thr[i]} (a register sum, no second array:
/// equal scores are rare, so the caller adds them to per-image counts only when they occur).
/// Constant-length blocks and restrict pointers so that -O2 vectorises (see countHigher).
POISONLAB_RANK_CLONES
std::int64_t countAgainstThresholds(const float *__restrict row, const float *__restrict thr,
                                    std::int32_t *__restrict hi, std::int64_t cols)
{
    std::int64_t equal = 0;
    std::int64_t i = 0;
    for (; i + 64 <= cols; i += 64) {
        std::int32_t block = 0;
        for (int k = 0; k < 64; ++k) {
            hi[i + k] += row[i + k] > thr[i + k] ? 1 : 0;
            block += row[i + k] == thr[i + k] ? 1 : 0;
        }
        equal += block;
    }
    for (; i < cols; ++i) {
        hi[i] += row[i] > thr[i] ? 1 : 0;
        equal += row[i] == thr[i] ? 1 : 0;
    }
    return equal;
}

} // namespace

RecallAtK summarizeRecall(const std::vector<std::int64_t> &ranks)
{
    RecallAtK r;
    r.queries = std::int64_t(ranks.size());
    if (ranks.empty())
        return r;
    std::int64_t h1 = 0, h5 = 0, h10 = 0;
    double sum = 0;
    for (auto rank : ranks) {
        h1 += rank < 1;
        h5 += rank < 5;
        h10 += rank < 10;
        sum += double(rank + 1);
    }
    const double n = double(ranks.size());
    r.r1 = double(h1) / n;
    r.r5 = double(h5) / n;
    r.r10 = double(h10) / n;
    r.meanRank = sum / n;
    r.medianRank = median(ranks) + 1.0;
    return r;
}

RetrievalMetrics computeRetrievalMetrics(const SimilarityView &sims, const std::vector<int> &captionImage, int threads,
                                         Ties ties)
{
    if (!sims.data || sims.rows <= 0 || sims.cols <= 0)
        throw Error("retrieval metrics need a non-empty similarity matrix");
    if (std::int64_t(captionImage.size()) != sims.rows)
        throw Error("retrieval metrics: " + std::to_string(captionImage.size()) + " caption-to-image links for a " +
                    "similarity matrix with " + std::to_string(sims.rows) + " caption rows");
    // Text retrieval: an image's best caption rank is the number of captions scoring strictly
    // above its best own caption, so one threshold per image replaces the per-image sort.
    std::vector<float> threshold(std::size_t(sims.cols), -std::numeric_limits<float>::infinity());
    std::vector<char> hasCaption(std::size_t(sims.cols), 0);
    for (std::int64_t c = 0; c < sims.rows; ++c) {
        const int i = captionImage[std::size_t(c)];
        if (i < 0 || i >= sims.cols)
            throw Error("retrieval metrics: caption row " + std::to_string(c) + " names image column " +
                        std::to_string(i) + ", outside the gallery of " + std::to_string(sims.cols) + " images");
        threshold[std::size_t(i)] = std::max(threshold[std::size_t(i)], sims.at(c, i));
        hasCaption[std::size_t(i)] = 1;
    }
    for (std::int64_t i = 0; i < sims.cols; ++i)
        if (!hasCaption[std::size_t(i)])
            throw Error("retrieval metrics: gallery image column " + std::to_string(i) +
                        " has no caption, so text retrieval cannot rank it");
    // Own captions at the best own score: the "target" of text retrieval, not a tie against it.
    std::vector<std::int64_t> ownAtBest(std::size_t(sims.cols), 0);
    for (std::int64_t c = 0; c < sims.rows; ++c) {
        const int i = captionImage[std::size_t(c)];
        ownAtBest[std::size_t(i)] += sims.at(c, i) == threshold[std::size_t(i)] ? 1 : 0;
    }

    RetrievalMetrics out;
    out.ties = ties;
    out.imageRanks.assign(std::size_t(sims.rows), 0);
    std::vector<char> imageTied(std::size_t(sims.rows), 0);
    threads = std::max(1, threads);
    struct Counts {
        std::vector<std::int32_t> higher, equal;
    };
    std::vector<Counts> partial(static_cast<std::size_t>(threads));
    parallelRows(sims.rows, threads, [&](std::int64_t begin, std::int64_t end, int t) {
        auto &counts = partial[std::size_t(t)];
        counts.higher.assign(std::size_t(sims.cols), 0);
        counts.equal.assign(std::size_t(sims.cols), 0);
        const float *thr = threshold.data();
        std::int32_t *hi = counts.higher.data();
        std::int32_t *eq = counts.equal.data();
        const std::int64_t cols = sims.cols;
        for (std::int64_t c = begin; c < end; ++c) {
            const float *row = sims.row(c);
            const RankCount own = countRank(row, cols, row[captionImage[std::size_t(c)]]);
            out.imageRanks[std::size_t(c)] = own.rank(ties, 1);
            imageTied[std::size_t(c)] = own.tiedOthers(1) > 0;
            // Same pass, same row (still in cache): per-image counts of captions above and at
            // the threshold. A row equals the threshold of its own image when it is that image's
            // best caption; any other equality is a tie, found by a scalar pass over this row.
            const int ownImage = captionImage[std::size_t(c)];
            const std::int64_t atOwn = row[ownImage] == thr[ownImage] ? 1 : 0;
            if (countAgainstThresholds(row, thr, hi, cols) == atOwn) {
                eq[ownImage] += std::int32_t(atOwn);
            } else {
                for (std::int64_t i = 0; i < cols; ++i)
                    eq[i] += row[i] == thr[i] ? 1 : 0;
            }
        }
    });
    out.textRanks.assign(std::size_t(sims.cols), 0);
    std::int64_t textTied = 0;
    for (std::size_t i = 0; i < out.textRanks.size(); ++i) {
        RankCount count;
        for (const auto &counts : partial) {
            if (counts.higher.empty()) // a thread parallelRows did not start
                continue;
            count.higher += counts.higher[i];
            count.equal += counts.equal[i];
        }
        out.textRanks[i] = count.rank(ties, ownAtBest[i]);
        textTied += count.tiedOthers(ownAtBest[i]) > 0;
    }
    out.textRetrieval = summarizeRecall(out.textRanks);
    out.textRetrieval.tied = textTied;
    out.imageRetrieval = summarizeRecall(out.imageRanks);
    out.imageRetrieval.tied = std::int64_t(std::count(imageTied.begin(), imageTied.end(), char(1)));
    return out;
}

} // namespace poisonlab::eval
