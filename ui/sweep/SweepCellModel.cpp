#include "sweep/SweepCellModel.h"

#include "results/ResultCells.h"
#include "style/StatusColors.h"
#include "sweep/SweepMetric.h"

#include <cmath>

namespace poisonlab::ui {

namespace {

double orNan(std::optional<double> v)
{
    return v ? *v : std::nan("");
}

QColor stateColour(const std::string &state, const QPalette &palette)
{
    if (state == "failed")
        return StatusColors::error(palette);
    if (state == "cancelled")
        return StatusColors::warning(palette);
    if (state == "finished")
        return palette.color(QPalette::Text);
    return palette.color(QPalette::PlaceholderText); // pending, running: not there yet
}

} // namespace

SweepCellModel::SweepCellModel(QObject *parent) : QStandardItemModel(parent)
{
}

int SweepCellModel::figureColumn() const
{
    return 2 + (m_sweep ? m_sweep->axisCount() : 0);
}

int SweepCellModel::cellAt(int row) const
{
    const QStandardItem *first = item(row, 0);
    return first ? first->data(CellRole).toInt() : -1;
}

void SweepCellModel::setSweep(SweepDataPtr sweep, int hitK, const QPalette &palette)
{
    m_sweep = std::move(sweep);
    clear();
    if (!m_sweep)
        return;
    const SweepData &s = *m_sweep;
    QStringList headers{tr("Cell"), tr("State")};
    for (const auto &axis : s.index.axes)
        headers << SweepData::keyTitle(axis.key);
    for (SweepMetric metric : {SweepMetric::HitAtK, SweepMetric::MinRank, SweepMetric::R10, SweepMetric::RMean})
        headers << SweepMetrics::name(metric, hitK) + (SweepMetrics::isRatio(metric) ? tr(" %") : QString());
    setHorizontalHeaderLabels(headers);
    for (int a = 0; a < s.axisCount(); ++a)
        horizontalHeaderItem(2 + a)->setToolTip(QString::fromStdString(s.index.axes[std::size_t(a)].key));

    for (int cell = 0; cell < s.cellCount(); ++cell) {
        const auto &status = s.cells[std::size_t(cell)];
        QList<QStandardItem *> row;
        auto *name = ResultCells::text(QString::fromStdString(status.cell.name));
        name->setData(cell, CellRole);
        name->setToolTip(s.runDir(cell));
        row << name;
        auto *state = ResultCells::text(QString::fromStdString(status.state));
        state->setForeground(stateColour(status.state, palette));
        if (!status.error.empty())
            state->setToolTip(QString::fromStdString(status.error));
        row << state;
        for (int a = 0; a < s.axisCount(); ++a) {
            const nlohmann::json v = s.axisValue(cell, a);
            auto *value = ResultCells::text(s.axisText(cell, a));
            if (v.is_number()) { // sorts as a number
                value->setData(v.get<double>(), Qt::UserRole);
                value->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            }
            row << value;
        }
        using ResultCells::Format;
        row << ResultCells::number(orNan(SweepMetrics::value(s, cell, SweepMetric::HitAtK, hitK)), Format::Percent)
            << ResultCells::number(orNan(SweepMetrics::value(s, cell, SweepMetric::MinRank)), Format::Fixed2)
            << ResultCells::number(orNan(SweepMetrics::value(s, cell, SweepMetric::R10)), Format::Percent)
            << ResultCells::number(orNan(SweepMetrics::value(s, cell, SweepMetric::RMean)), Format::Percent);
        appendRow(row);
    }
}

} // namespace poisonlab::ui
