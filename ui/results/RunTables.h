#pragma once

#include "charts/LineChartWidget.h"

#include "poisonlab/core/eval/EvaluationResult.h"

#include <nlohmann/json.hpp>

#include <QList>

#include <optional>
#include <vector>

class QObject;
class QStandardItemModel;

namespace poisonlab::ui {

/// Turns a run's result files (as read by core's report::RunResults) into the run viewer's
/// tables and chart lines. Every number cell shows a rounded text (ratios in percent for R@K
/// and Hit@K) and keeps the exact value from the file in Qt::UserRole (invalid when absent).
/// Nothing is computed here beyond picking values out of the evaluations (eval::EvaluationResult)
/// and the defense files.
class RunTables {
public:
    /// R@1/5/10, mean and median rank for text and image retrieval, R_mean; rows for the
    /// fine-tuned model, then the starting model when `initial` is an evaluation.
    static QStandardItemModel *utility(const std::optional<eval::EvaluationResult> &evaluation,
                                       const std::optional<eval::EvaluationResult> &initial, QObject *parent);
    /// Per goal: the attack's Hit@1/5/10 and MinRank mean, then its random-caption baseline.
    static QStandardItemModel *attacks(const std::optional<eval::EvaluationResult> &evaluation, QObject *parent);
    /// The pre-training filter (results/defense/prefilter.json): threshold, counts, P/R/F1/AUC.
    static QStandardItemModel *detection(const nlohmann::json &prefilter, QObject *parent);
    /// The post-training defense (results/defense/posttrain.json): per learning rate and epoch,
    /// R_mean and each goal's Hit@10 and MinRank mean.
    static QStandardItemModel *postTraining(const nlohmann::json &posttrain, QObject *parent);

    /// The ROC curve (fpr, tpr) of prefilter.json, and the chance diagonal.
    static QList<ChartSeries> rocCurve(const nlohmann::json &prefilter);
    /// Hit@K against epoch, one line per learning rate (and goal, when there are several).
    static QList<ChartSeries> postTrainingHits(const nlohmann::json &posttrain, int hitK = 10);
    /// Loss per step and mean loss per epoch (at the epoch's last step) from metrics.jsonl.
    static QList<ChartSeries> lossCurve(const std::vector<nlohmann::json> &metrics);
};

} // namespace poisonlab::ui
