#include "sweep/SweepMetric.h"

#include "sweep/SweepData.h"

#include <QObject>

#include <cmath>
#include <set>

namespace poisonlab::ui::SweepMetrics {

namespace {

std::optional<double> present(double v)
{
    return std::isnan(v) ? std::nullopt : std::optional<double>(v);
}

} // namespace

std::optional<double> value(const SweepData &sweep, int cell, SweepMetric metric, int k)
{
    if (!sweep.isFinished(cell))
        return std::nullopt;
    const eval::EvaluationResult &result = *sweep.cells[std::size_t(cell)].final;
    switch (metric) {
    case SweepMetric::R10:
        return present(result.utility.imageRetrieval.r10);
    case SweepMetric::RMean:
        return present(result.utility.rMean);
    case SweepMetric::HitAtK:
    case SweepMetric::MinRank:
        break;
    }
    const eval::AttackFigures *goal = sweep.goal(cell);
    if (!goal)
        return std::nullopt;
    return present(metric == SweepMetric::HitAtK ? goal->attack.hitAt(k) : goal->attack.minRankMean);
}

QString name(SweepMetric metric, int k)
{
    switch (metric) {
    case SweepMetric::HitAtK:
        return QObject::tr("Hit@%1").arg(k);
    case SweepMetric::MinRank:
        return QObject::tr("MinRank (mean)");
    case SweepMetric::R10:
        return QObject::tr("R@10 caption → image");
    case SweepMetric::RMean:
        return QObject::tr("R_mean");
    }
    return {};
}

bool isRatio(SweepMetric metric)
{
    return metric != SweepMetric::MinRank;
}

QList<int> hitKs(const SweepData &sweep)
{
    std::set<int> ks;
    for (int i = 0; i < sweep.cellCount(); ++i)
        if (const eval::AttackFigures *goal = sweep.goal(i))
            for (const auto &[k, hit] : goal->attack.hits)
                ks.insert(k);
    if (ks.empty())
        return {10};
    return QList<int>(ks.begin(), ks.end());
}

} // namespace poisonlab::ui::SweepMetrics
