#pragma once

#include "charts/LineChartWidget.h"

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/report/RunResults.h"

#include <QList>
#include <QString>

#include <optional>
#include <vector>

class QObject;
class QStandardItemModel;

namespace poisonlab::ui {

/// The run viewer's per-epoch table and chart (report::RunResults::epochRecords()) and its
/// poisoning summary (the typed attack::PoisonManifest). Cells as in ResultCells: rounded text,
/// the file's exact number in Qt::UserRole, "–" where a figure was not recorded.
class RunEpochTables {
public:
    /// A row per epoch (epoch 0: the starting model): mean loss, learning rate, R@1/5/10 of image
    /// → text and text → image, R_mean, then each goal's Hit@1/5/10 and MinRank mean.
    static QStandardItemModel *perEpoch(const std::vector<report::EpochRecord> &epochs, QObject *parent);
    /// Against the epoch: R@k of both directions and each goal's Hit@k (ratios).
    static QList<ChartSeries> perEpochRates(const std::vector<report::EpochRecord> &epochs, int k);
    /// The goals the evaluations measured, in order of first appearance (AttackFigures::label()).
    static QStringList goalsOf(const std::vector<report::EpochRecord> &epochs);

    /// A row per goal A → B: eligible units and pairs, poisoned units and pairs, target images
    /// used and available.
    static QStandardItemModel *poisonGoals(const std::optional<attack::PoisonManifest> &manifest, QObject *parent);
    /// One line: the attack, its rate and unit, |Dp| of |D| and φ; "clean run (no attack)".
    static QString poisonSummary(const report::RunResults &run);
    /// The Poisoning tab's text (rich text): the summary, the split poisoned and the attack's
    /// seed, and what the rate and φ count.
    static QString poisonDetails(const report::RunResults &run);
};

} // namespace poisonlab::ui
