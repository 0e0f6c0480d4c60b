#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/plugin/AttackPlugin.h"

namespace poisonlab::experiment {

/// True when the config's attack needs a clean model's embeddings (AttackPlugin::needsEmbeddings,
/// e.g. the similarity-aware attack); false without an attack. Throws poisonlab::Error when the
/// attack plugin cannot be loaded.
bool attackNeedsModel(const ExperimentConfig &config);

/// What the config's attack gets to poison with, as a run gives it: for an attack that needs
/// embeddings, callbacks over the config's model (its weights, or a random init seeded with the
/// config's seed), checking `progress` for cancellation between batches; otherwise just
/// `progress`. `progress` must outlive the context. Throws poisonlab::Error naming the file when
/// the model cannot be loaded.
attack::AttackContext attackContextFor(const ExperimentConfig &config, ProgressReporter &progress);

} // namespace poisonlab::experiment
