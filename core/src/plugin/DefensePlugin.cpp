#include "poisonlab/core/plugin/DefensePlugin.h"

#include "poisonlab/core/Error.h"

namespace poisonlab::defense {

DefenseStageKind defenseStageOf(const plugin::PluginMetadata &metadata)
{
    const std::string stage =
        metadata.raw.is_object() && metadata.raw.contains("stage") && metadata.raw["stage"].is_string()
            ? metadata.raw["stage"].get<std::string>()
            : std::string();
    if (stage == "pre-training")
        return DefenseStageKind::PreTraining;
    if (stage == "post-training")
        return DefenseStageKind::PostTraining;
    throw Error(metadata.directory / "plugin.json",
                "defense plugin \"" + metadata.id + "\" needs \"stage\": \"pre-training\" or \"post-training\"");
}

DefensePlugin::~DefensePlugin() = default;

FilterResult DefensePlugin::filter(const data::Dataset &, const std::vector<int> &, const nlohmann::json &,
                                   const ScoringContext &) const
{
    throw Error("defense \"" + metadata().id + "\" is a post-training defense; it does not filter training pairs");
}

nlohmann::json DefensePlugin::postTrain(const nlohmann::json &, const PostTrainingContext &) const
{
    throw Error("defense \"" + metadata().id + "\" is a pre-training defense; it does not act on a trained model");
}

} // namespace poisonlab::defense
