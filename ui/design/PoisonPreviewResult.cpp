#include "design/PoisonPreviewResult.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/AttackModel.h"
#include "poisonlab/core/experiment/ExperimentData.h"

namespace poisonlab::ui {

PoisonPreviewResult computePoisonPreview(const experiment::ExperimentConfig &config, ProgressReporter &progress)
{
    if (!config.attack)
        throw Error(config.file.empty() ? std::filesystem::path("experiment config") : config.file,
                    "names no \"attack\"; nothing to poison");
    experiment::ExperimentData data =
        experiment::prepareExperimentData(config, progress, experiment::attackContextFor(config, progress));
    PoisonPreviewResult out;
    out.manifest = std::make_shared<const attack::PoisonManifest>(std::move(*data.poison));
    out.dataset = std::move(data.dataset);
    return out;
}

} // namespace poisonlab::ui
