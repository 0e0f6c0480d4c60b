#pragma once

#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/experiment/SweepIndex.h"
#include "poisonlab/core/experiment/SweepStatus.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <memory>
#include <string>
#include <vector>

namespace poisonlab::ui {

/// A sweep folder as the workbench shows it: core's index (sweep.json: the config, the axes, a cell
/// per run directory) and every cell's state with its final evaluation (readSweepStatus). Read once
/// on a job thread (read()), then shared read-only with the table, the charts and the class-pair grid.
struct SweepData {
    QString dir;
    experiment::SweepIndex index;
    std::vector<experiment::SweepCellStatus> cells;

    /// Reads `dir`'s sweep.json and every cell's run directory; throws core's Error naming the
    /// file when the index is missing or malformed. Runs on a job thread (many folders).
    static std::shared_ptr<const SweepData> read(const QString &dir);

    int cellCount() const { return int(cells.size()); }
    int axisCount() const { return int(index.axes.size()); }
    bool isFinished(int cell) const;
    /// The value cell `cell` takes on axis `axis`: its override of the axis key; for a zipped axis
    /// ("a+b") the array of its keys' overrides. Null when the cell's overrides lack it.
    nlohmann::json axisValue(int cell, int axis) const;
    /// A config key's value in a cell: the cell's override, else the sweep's base config (dotted
    /// path into it); null when neither has it.
    nlohmann::json configValue(int cell, const std::string &dottedKey) const;
    /// The goal a cell's charts and grid show: the evaluated goal of the cell's own attack pair
    /// (attack.options.source → target) when there is one, else the first goal; null when the cell
    /// has no final evaluation or no goals.
    const eval::AttackFigures *goal(int cell) const;
    /// The cell whose run directory is `runDir` (absolute or as sweep.json names it), -1 when none.
    int cellOfRun(const QString &runDir) const;
    /// The absolute run directory of a cell.
    QString runDir(int cell) const;
    /// How many cells are in each state, "3 finished · 1 running · 1 failed".
    QString stateSummary() const;

    /// axisValue() as text: "0.25"; a class pair "sheep → aeroplane"; other zipped values "3, 0.001".
    QString axisText(int cell, int axis) const;
    /// A value of axis `axis` as text, as axisText() writes it.
    QString axisValueText(int axis, const nlohmann::json &value) const;
    /// Whether an axis sweeps the attack's source and target classes together (a class-pair axis).
    bool isPairAxis(int axis) const;

    /// "0.25", "sheep", "3, 0.001" (an array), "–" (null).
    static QString valueText(const nlohmann::json &value);
    /// An axis key as a column title: the last part of each dotted key, "rate", "source → target",
    /// "epochs + learningRate".
    static QString keyTitle(const std::string &key);
};

using SweepDataPtr = std::shared_ptr<const SweepData>;

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::SweepDataPtr)
