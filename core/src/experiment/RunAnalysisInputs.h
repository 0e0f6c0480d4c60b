#pragma once
// What several analyses of a finished run read (internal to core): the training set as the run
// saw it and the check that two evaluation records hold the same test rows.
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/ExperimentData.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <memory>

namespace poisonlab::experiment {

/// Throws poisonlab::Error naming the run when a dataset read now has another checksum than the
/// one run.json recorded; `consequence` says what that prevents ("cannot resume").
void checkDatasetsUnchanged(const RunDirectory &run, const std::vector<DatasetRecord> &now,
                            const std::string &consequence);

/// The run's clean data: the config's datasets without the attack, checked unchanged since the
/// run (checkDatasetsUnchanged with `consequence`).
ExperimentData runCleanData(const RunDirectory &run, const ExperimentConfig &config, ProgressReporter &progress,
                            const std::string &consequence);

/// The training set as the run saw it: the config's datasets without the attack, then the
/// poisoned pairs of poison/manifest.json applied (checked against the captions they name).
std::shared_ptr<data::Dataset> runTrainingSet(const RunDirectory &run, const ExperimentConfig &config,
                                              ProgressReporter &progress);

/// The shift compares the same inputs: every row must be the same image / caption text. Throws
/// poisonlab::Error naming b's index.json and the first row that differs.
void checkSameRows(const eval::EvaluationRecord &a, const eval::EvaluationRecord &b);

} // namespace poisonlab::experiment
