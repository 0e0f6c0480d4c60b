// Attacks II and III, one class built into two plugins (their folders' CMakeLists.txt both name
// this file). Attack II (single target label): poisoned class-A captions get class-B images, each
// B image used in turn (floor(n/m) times, the remainder drawn at random) as the paper's code
// does. Attack III (multiple target labels): several (A, B) goals at once, each sampled at the
// same rate with its own seeded stream and B's images reused in the same way. The only
// difference, one goal or a list, is read from plugin.json ("multiGoal": true for Attack III).
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/attack/PoisonSampling.h"
#include "poisonlab/core/plugin/AttackPlugin.h"

namespace {

using namespace poisonlab;
using namespace poisonlab::attack;

class TargetLabelAttack final : public AttackPlugin {
public:
    AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                        const AttackContext &context) const override
    {
        const std::string &id = metadata().id;
        const bool multiGoal = metadata().raw.value("multiGoal", false);
        const LabelSwapOptions opts = parseLabelSwapOptions(options, id, multiGoal);
        auto choose = [](const data::Dataset &, const AttackGoal &, int, const std::vector<PoisonUnitGroup> &units,
                         const std::vector<int> &targets, Rng &rng) { return reuseInTurn(targets, units.size(), rng); };
        return runLabelSwap(dataset, opts, id, choose, context.progress);
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(TargetLabelAttack)
