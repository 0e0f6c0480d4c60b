// Attack II (single target label): poisoned class-A captions get class-B images, each B image
// used in turn (floor(n/m) times, the remainder drawn at random) as the paper's code does.
#include "poisonlab/core/attack/AttackPlugin.h"
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/attack/PoisonSampling.h"

namespace {

using namespace poisonlab;
using namespace poisonlab::attack;

class SingleTargetLabelAttack final : public AttackPlugin {
public:
    AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                        const AttackContext &context) const override
    {
        const std::string id = "attack-single-target-label";
        const LabelSwapOptions opts = parseLabelSwapOptions(options, id, false);
        auto choose = [](const data::Dataset &, const AttackGoal &, int, const std::vector<PoisonUnitGroup> &units,
                         const std::vector<int> &targets, Rng &rng) { return reuseInTurn(targets, units.size(), rng); };
        return runLabelSwap(dataset, opts, id, choose, context.progress);
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(SingleTargetLabelAttack)
