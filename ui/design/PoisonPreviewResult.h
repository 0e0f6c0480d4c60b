#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/data/Dataset.h"

#include <QMetaType>

#include <memory>

namespace poisonlab::experiment {
struct ExperimentConfig;
}

namespace poisonlab::ui {

/// What a poison preview computed: exactly the pairs `poisonlab-cli poison` exports for the same
/// config, and the poisoned merged training set they index into. Immutable and shared, so the
/// preview's job thread hands it to the GUI thread (and the thumbnail decoders) without copies.
struct PoisonPreviewResult {
    std::shared_ptr<const attack::PoisonManifest> manifest;
    std::shared_ptr<const data::Dataset> dataset;
};

/// Builds the poisoned training set of `config` as `poisonlab-cli poison` and a run do (reads and
/// merges the datasets, runs the attack; an attack that needs embeddings gets the config's model,
/// see experiment::attackContextFor); throws poisonlab::Error when the config names no attack or
/// the data or the attack's options are wrong. Runs on a job thread.
PoisonPreviewResult computePoisonPreview(const experiment::ExperimentConfig &config, ProgressReporter &progress);

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::PoisonPreviewResult)
