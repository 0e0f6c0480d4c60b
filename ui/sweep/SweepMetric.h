#pragma once

#include <QString>

#include <optional>

namespace poisonlab::ui {

struct SweepData;

/// The figures a sweep is charted by: the attack's (Hit@K and MinRank of each cell's goal, see
/// SweepData::goal) and the model's utility (R@10 caption → image, R_mean).
enum class SweepMetric { HitAtK, MinRank, R10, RMean };

namespace SweepMetrics {

/// A finished cell's figure, read from its final evaluation; nullopt for an unfinished cell, a
/// cell without goals (attack figures) or a K that was not measured.
std::optional<double> value(const SweepData &sweep, int cell, SweepMetric metric, int k = 10);
/// "Hit@10", "MinRank (mean)", "R@10 caption → image", "R_mean".
QString name(SweepMetric metric, int k = 10);
/// Ratios are shown in percent.
bool isRatio(SweepMetric metric);
/// The Ks the finished cells measured Hit@K at (ascending; {10} when none).
QList<int> hitKs(const SweepData &sweep);

} // namespace SweepMetrics

} // namespace poisonlab::ui
