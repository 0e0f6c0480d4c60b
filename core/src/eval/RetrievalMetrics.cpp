#include "poisonlab/core/eval/RetrievalMetrics.h"

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

RetrievalMetrics computeRetrievalMetrics(const SimilarityView &sims, const std::vector<int> &captionImage, int threads)
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

    RetrievalMetrics out;
    out.imageRanks.assign(std::size_t(sims.rows), 0);
    threads = std::max(1, threads);
    std::vector<std::vector<std::int32_t>> partial(static_cast<std::size_t>(threads));
    parallelRows(sims.rows, threads, [&](std::int64_t begin, std::int64_t end, int t) {
        auto &counts = partial[std::size_t(t)];
        counts.assign(std::size_t(sims.cols), 0);
        const float *thr = threshold.data();
        std::int32_t *cnt = counts.data();
        const std::int64_t cols = sims.cols;
        for (std::int64_t c = begin; c < end; ++c) {
            const float *row = sims.row(c);
            out.imageRanks[std::size_t(c)] = countHigher(row, cols, row[captionImage[std::size_t(c)]]);
            // Same pass, same row (still in cache): per-image counts of captions above threshold.
            // Constant-length blocks so that -O2 vectorises (see countHigher).
            std::int64_t i = 0;
            for (; i + 64 <= cols; i += 64)
                for (int k = 0; k < 64; ++k)
                    cnt[i + k] += row[i + k] > thr[i + k] ? 1 : 0;
            for (; i < cols; ++i)
                cnt[i] += row[i] > thr[i] ? 1 : 0;
        }
    });
    out.textRanks.assign(std::size_t(sims.cols), 0);
    for (const auto &counts : partial)
        for (std::size_t i = 0; i < counts.size(); ++i)
            out.textRanks[i] += counts[i];
    out.textRetrieval = summarizeRecall(out.textRanks);
    out.imageRetrieval = summarizeRecall(out.imageRanks);
    return out;
}

} // namespace poisonlab::eval
