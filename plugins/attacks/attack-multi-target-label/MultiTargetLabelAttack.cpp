// Attack III (multiple target labels): several (A, B) goals at once, each sampled at the same
// rate with its own seeded stream and B's images reused in turn as in Attack II.
#include "poisonlab/core/attack/AttackPlugin.h"
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/attack/PoisonSampling.h"

namespace {

using namespace poisonlab;
using namespace poisonlab::attack;

class MultiTargetLabelAttack final : public AttackPlugin {
public:
    AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                        const AttackContext &context) const override
    {
        const std::string id = "attack-multi-target-label";
        const LabelSwapOptions opts = parseLabelSwapOptions(options, id, true);
        auto choose = [](const data::Dataset &, const AttackGoal &, int, const std::vector<PoisonUnitGroup> &units,
                         const std::vector<int> &targets, Rng &rng) { return reuseInTurn(targets, units.size(), rng); };
        return runLabelSwap(dataset, opts, id, choose, context.progress);
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(MultiTargetLabelAttack)
