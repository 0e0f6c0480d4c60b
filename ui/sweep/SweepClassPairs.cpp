#include "sweep/SweepClassPairs.h"

#include "sweep/SweepData.h"
#include "sweep/SweepMetric.h"

#include <QObject>
#include <QStringList>

#include <algorithm>

namespace poisonlab::ui {

namespace {

std::optional<std::string> classOf(const SweepData &sweep, int cell, const char *key)
{
    const nlohmann::json v = sweep.configValue(cell, key);
    return v.is_string() ? std::optional<std::string>(v.get<std::string>()) : std::nullopt;
}

std::optional<double> mean(const std::vector<double> &values)
{
    if (values.empty())
        return std::nullopt;
    double sum = 0;
    for (double v : values)
        sum += v;
    return sum / double(values.size());
}

} // namespace

bool SweepClassPairs::isClassPairSweep(const SweepData &sweep)
{
    for (const auto &axis : sweep.index.axes)
        if (axis.key.find("attack.options.source") != std::string::npos ||
            axis.key.find("attack.options.target") != std::string::npos)
            return true;
    return false;
}

SweepClassPairs SweepClassPairs::build(const SweepData &sweep, int k)
{
    SweepClassPairs pairs;
    if (!isClassPairSweep(sweep))
        return pairs;
    auto grid = std::make_shared<analysis::MinRankGrid>();
    grid->hitK = k;
    // Classes in the order the sweep attacks them: each cell's source, then its target.
    std::vector<std::pair<std::string, std::string>> attacked(std::size_t(sweep.cellCount()));
    auto indexOf = [&](const std::string &c) {
        const auto it = std::find(grid->classes.begin(), grid->classes.end(), c);
        if (it != grid->classes.end())
            return int(it - grid->classes.begin());
        grid->classes.push_back(c);
        return int(grid->classes.size()) - 1;
    };
    for (int cell = 0; cell < sweep.cellCount(); ++cell) {
        const auto source = classOf(sweep, cell, "attack.options.source");
        const auto target = classOf(sweep, cell, "attack.options.target");
        if (!source || !target)
            continue;
        pairs.cells[{indexOf(*source), indexOf(*target)}].push_back(cell);
    }
    const std::size_t n = grid->classes.size();
    grid->minRankMean.assign(n, std::vector<std::optional<double>>(n));
    grid->hitAtK.assign(n, std::vector<std::optional<double>>(n));
    for (const auto &[place, cells] : pairs.cells) {
        std::vector<double> ranks, hits;
        for (int cell : cells) {
            if (const auto r = SweepMetrics::value(sweep, cell, SweepMetric::MinRank))
                ranks.push_back(*r);
            if (const auto h = SweepMetrics::value(sweep, cell, SweepMetric::HitAtK, k))
                hits.push_back(*h);
        }
        grid->minRankMean[std::size_t(place.first)][std::size_t(place.second)] = mean(ranks);
        grid->hitAtK[std::size_t(place.first)][std::size_t(place.second)] = mean(hits);
    }
    pairs.grid = std::move(grid);
    return pairs;
}

std::vector<int> SweepClassPairs::cellsAt(int row, int column) const
{
    const auto it = cells.find({row, column});
    return it == cells.end() ? std::vector<int>{} : it->second;
}

QString SweepClassPairs::describe(const SweepData &sweep, int row, int column) const
{
    if (!grid || row < 0 || column < 0 || row >= int(grid->classes.size()) || column >= int(grid->classes.size()))
        return {};
    const QString pair = QStringLiteral("%1 → %2").arg(QString::fromStdString(grid->classes[std::size_t(row)]),
                                                       QString::fromStdString(grid->classes[std::size_t(column)]));
    const std::vector<int> at = cellsAt(row, column);
    if (at.empty())
        return QObject::tr("%1: not in this sweep").arg(pair);
    QStringList states;
    for (int cell : at)
        states << QObject::tr("cell %1, %2")
                      .arg(QString::fromStdString(sweep.cells[std::size_t(cell)].cell.name),
                           QString::fromStdString(sweep.cells[std::size_t(cell)].state));
    const auto rank = grid->minRankMean[std::size_t(row)][std::size_t(column)];
    const auto hit = grid->hitAtK[std::size_t(row)][std::size_t(column)];
    QString values;
    if (rank || hit)
        values = QObject::tr(" — MinRank %1, Hit@%2 %3 %")
                     .arg(rank ? QString::number(*rank, 'f', 2) : QStringLiteral("–"))
                     .arg(grid->hitK)
                     .arg(hit ? QString::number(*hit * 100, 'f', 1) : QStringLiteral("–"));
    if (at.size() > 1 && (rank || hit))
        values += QObject::tr(" (mean of the finished cells)");
    return QStringLiteral("%1: %2%3").arg(pair, states.join(QStringLiteral("; ")), values);
}

} // namespace poisonlab::ui
