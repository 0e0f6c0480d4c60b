#pragma once

#include <limits>
#include <vector>

namespace poisonlab::defense {

/// How well a suspicion score separates poisoned pairs from clean ones. A pair is flagged
/// (removed by a filter) when its score is at least the threshold; higher = more suspicious
/// (the pre-training filter's score is the image-caption cosine distance, in [0, 2]).
/// Undefined ratios are NaN: precision when nothing is flagged, recall when there is no
/// poisoned pair, F1 when either is undefined. Writers turn NaN into JSON null.
struct DetectionCounts {
    long long pairs = 0;
    long long positives = 0;      ///< poisoned pairs
    long long flagged = 0;        ///< pairs at or above the threshold
    long long truePositives = 0;  ///< flagged and poisoned
    long long falsePositives = 0; ///< flagged and clean

    long long negatives() const { return pairs - positives; }
    long long kept() const { return pairs - flagged; }
    double precision() const;
    double recall() const;
    /// 2 TP / (2 TP + FP + FN): exact ties between thresholds stay ties.
    double f1() const;
};

/// One point of the ROC curve: what flagging every score >= threshold gives.
struct RocPoint {
    double threshold = 0; ///< +infinity for the first point (nothing flagged)
    double fpr = 0;       ///< flagged clean / clean
    double tpr = 0;       ///< flagged poisoned / poisoned
};

/// The counts when every score >= threshold is flagged. `poisoned` has one entry per score.
DetectionCounts countAt(const std::vector<float> &scores, const std::vector<char> &poisoned, double threshold);

/// The ROC curve over every distinct score, from (0, 0) at threshold +infinity down to (1, 1)
/// at the lowest score. Tied scores enter together, so a tie between a poisoned and a clean
/// pair is one diagonal step (it counts half in the area, as in the Mann-Whitney statistic).
/// Empty when either group is empty (the rates are undefined).
std::vector<RocPoint> rocCurve(const std::vector<float> &scores, const std::vector<char> &poisoned);

/// Area under the curve by the trapezoid rule; NaN for a curve with fewer than two points.
double rocAuc(const std::vector<RocPoint> &curve);

/// The threshold (one of the scores) whose flagging has the highest F1; among equal F1 the
/// highest threshold (fewest pairs removed). It uses the poisoned labels, which a real
/// defender does not have: an oracle, an upper bound for threshold rules. Throws
/// poisonlab::Error when there is no score or no poisoned pair.
struct ThresholdChoice {
    double threshold = std::numeric_limits<double>::quiet_NaN();
    DetectionCounts counts;
};
ThresholdChoice bestF1Threshold(const std::vector<float> &scores, const std::vector<char> &poisoned);

/// The `percentile`-th percentile of the scores, by linear interpolation between the closest
/// ranks (numpy.percentile's default). Throws poisonlab::Error when there is no score or the
/// percentile is outside [0, 100].
double percentileThreshold(const std::vector<float> &scores, double percentile);

} // namespace poisonlab::defense
