#include "poisonlab/core/defense/DetectionMetrics.h"

#include "poisonlab/core/Error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

namespace poisonlab::defense {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

void checkSizes(const std::vector<float> &scores, const std::vector<char> &poisoned)
{
    if (scores.size() != poisoned.size())
        throw Error("detection metrics: " + std::to_string(scores.size()) + " scores but " +
                    std::to_string(poisoned.size()) + " poisoned flags");
}

/// Indices of the scores, highest first.
std::vector<size_t> descendingOrder(const std::vector<float> &scores)
{
    std::vector<size_t> order(scores.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return scores[a] > scores[b]; });
    return order;
}

} // namespace

double DetectionCounts::precision() const
{
    return flagged > 0 ? double(truePositives) / double(flagged) : kNaN;
}

double DetectionCounts::recall() const
{
    return positives > 0 ? double(truePositives) / double(positives) : kNaN;
}

double DetectionCounts::f1() const
{
    if (flagged == 0 || positives == 0)
        return kNaN;
    const long long falseNegatives = positives - truePositives;
    return 2.0 * double(truePositives) / double(2 * truePositives + falsePositives + falseNegatives);
}

DetectionCounts countAt(const std::vector<float> &scores, const std::vector<char> &poisoned, double threshold)
{
    checkSizes(scores, poisoned);
    DetectionCounts c;
    c.pairs = static_cast<long long>(scores.size());
    for (size_t i = 0; i < scores.size(); ++i) {
        const bool positive = poisoned[i] != 0;
        c.positives += positive;
        if (double(scores[i]) >= threshold) {
            ++c.flagged;
            c.truePositives += positive;
            c.falsePositives += !positive;
        }
    }
    return c;
}

std::vector<RocPoint> rocCurve(const std::vector<float> &scores, const std::vector<char> &poisoned)
{
    checkSizes(scores, poisoned);
    const long long positives = std::count_if(poisoned.begin(), poisoned.end(), [](char p) { return p != 0; });
    const long long negatives = static_cast<long long>(scores.size()) - positives;
    if (positives == 0 || negatives == 0)
        return {};
    std::vector<RocPoint> curve{{std::numeric_limits<double>::infinity(), 0.0, 0.0}};
    const std::vector<size_t> order = descendingOrder(scores);
    long long tp = 0, fp = 0;
    for (size_t k = 0; k < order.size();) {
        const float value = scores[order[k]];
        // Every pair with this score is flagged at once.
        for (; k < order.size() && scores[order[k]] == value; ++k) {
            if (poisoned[order[k]])
                ++tp;
            else
                ++fp;
        }
        curve.push_back({double(value), double(fp) / double(negatives), double(tp) / double(positives)});
    }
    return curve;
}

double rocAuc(const std::vector<RocPoint> &curve)
{
    if (curve.size() < 2)
        return kNaN;
    double area = 0;
    for (size_t i = 1; i < curve.size(); ++i)
        area += (curve[i].fpr - curve[i - 1].fpr) * (curve[i].tpr + curve[i - 1].tpr) / 2.0;
    return area;
}

ThresholdChoice bestF1Threshold(const std::vector<float> &scores, const std::vector<char> &poisoned)
{
    checkSizes(scores, poisoned);
    if (scores.empty())
        throw Error("best-F1 threshold: there are no scores");
    const long long positives = std::count_if(poisoned.begin(), poisoned.end(), [](char p) { return p != 0; });
    if (positives == 0)
        throw Error("best-F1 threshold: no pair is poisoned, so F1 is undefined (the best-F1 threshold needs an "
                    "attack)");
    ThresholdChoice best;
    double bestF1 = -1;
    DetectionCounts c;
    c.pairs = static_cast<long long>(scores.size());
    c.positives = positives;
    const std::vector<size_t> order = descendingOrder(scores);
    for (size_t k = 0; k < order.size();) {
        const float value = scores[order[k]];
        for (; k < order.size() && scores[order[k]] == value; ++k) {
            ++c.flagged;
            if (poisoned[order[k]])
                ++c.truePositives;
            else
                ++c.falsePositives;
        }
        const double f1 = c.f1();
        if (f1 > bestF1) { // strictly better only: the higher threshold wins a tie
            bestF1 = f1;
            best.threshold = value;
            best.counts = c;
        }
    }
    return best;
}

double percentileThreshold(const std::vector<float> &scores, double percentile)
{
    if (scores.empty())
        throw Error("percentile threshold: there are no scores");
    if (!(percentile >= 0.0 && percentile <= 100.0))
        throw Error("percentile threshold: the percentile must be in [0, 100], got " + std::to_string(percentile));
    std::vector<double> sorted(scores.begin(), scores.end());
    std::sort(sorted.begin(), sorted.end());
    const double position = percentile / 100.0 * double(sorted.size() - 1);
    const size_t below = static_cast<size_t>(std::floor(position));
    const size_t above = std::min(below + 1, sorted.size() - 1);
    const double fraction = position - double(below);
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
}

} // namespace poisonlab::defense
