#pragma once

#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"

namespace poisonlab::attack {

/// A poisoned copy of the dataset plus the record of what changed: what an attack plugin
/// returns and what the shared image-swapping engine (LabelSwapAttack.h) builds.
struct AttackResult {
    data::Dataset dataset;
    PoisonManifest manifest;
};

} // namespace poisonlab::attack
