#include "poisonlab/core/experiment/EvaluationGoals.h"

#include "poisonlab/core/attack/LabelSwapAttack.h"

namespace poisonlab::experiment {

std::vector<eval::GoalSpec> evaluationGoals(const ExperimentConfig &c, const std::optional<attack::PoisonManifest> &m,
                                            const data::Dataset &evalDataset)
{
    std::vector<eval::GoalSpec> goals;
    auto add = [&](const std::string &source, const std::string &target, const std::string &targetImage) {
        eval::GoalSpec g;
        g.name = source + "->" + target;
        g.sourceClass = source;
        g.targetClasses = {target};
        if (!targetImage.empty())
            g.targetImage = attack::findImage(evalDataset, targetImage, "evaluation");
        goals.push_back(std::move(g));
    };
    if (!c.evalGoals.empty()) {
        for (const auto &g : c.evalGoals)
            add(g.source, g.target, g.targetImage);
    } else if (m) {
        const std::string targetImage =
            m->attack == "attack-single-target-image" ? m->options.value("target_image", "") : std::string();
        for (const auto &g : m->goals)
            add(g.source, g.target, targetImage);
    }
    return goals;
}

} // namespace poisonlab::experiment
