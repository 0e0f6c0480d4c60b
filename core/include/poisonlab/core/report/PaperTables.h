#pragma once

#include "poisonlab/core/report/ReportTable.h"
#include "poisonlab/core/report/RunResults.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace poisonlab::report {

/// Numbers as the paper prints them: Hit@K and R@K as fractions with three decimals, MinRank
/// with one; a missing number is an en dash.
std::string formatFraction(double value);
std::string formatRank(double value);
std::string formatPercent(double fraction, int decimals = 2);
/// json[key] as a number, NaN when absent or not a number (for the run's other files; evaluations
/// are read through eval::EvaluationResult).
double numberAt(const nlohmann::json &object, const std::string &key);

/// The evaluation the utility table compares against, and where it came from.
struct CleanReference {
    eval::EvaluationResult evaluation;
    std::string label; ///< row label, e.g. "Clean (demo-clean)"
    std::string note;  ///< printed under the table
};

/// The paper's tables, built from a run's results.
namespace paper {

/// Tables 1-3: per goal, Hit@1/5/10 and MinRank of the baseline and of ours.
ReportTable attackTable(const RunResults &run);
/// Utility: text and image retrieval R@1/5/10, clean vs attacked, and the change.
ReportTable utilityTable(const RunResults &run, const std::optional<CleanReference> &clean);
/// The poisoning: per goal the poisoned and eligible pairs; rate and phi in the caption.
std::optional<ReportTable> poisonTable(const RunResults &run);
/// Hit@K and MinRank after each evaluated epoch (needs evaluation.every_epoch or an initial one).
std::optional<ReportTable> epochTable(const RunResults &run);
/// Pre-training defense: threshold, removed pairs, precision, recall, F1, AUC.
std::optional<ReportTable> prefilterTable(const RunResults &run);
/// Post-training defense: per learning rate, utility and attack before and after.
std::optional<ReportTable> posttrainTable(const RunResults &run);
/// How far the fine-tuning moved the embeddings (results/analysis/embedding_shift.json).
std::optional<ReportTable> embeddingShiftTable(const RunResults &run);

} // namespace paper

} // namespace poisonlab::report
