#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/eval/Evaluator.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <optional>
#include <vector>

namespace poisonlab::experiment {

/// The attack goals a run measures: the config's evaluation goals, else the poison manifest's
/// (Attack I's target image looked up in the evaluation dataset). Used by the runner and by the
/// defenses, so a defended model is measured on exactly the goals of the undefended one.
std::vector<eval::GoalSpec> evaluationGoals(const ExperimentConfig &config,
                                            const std::optional<attack::PoisonManifest> &manifest,
                                            const data::Dataset &evalDataset);

} // namespace poisonlab::experiment
