// Attack I (single target image): every poisoned class-A caption is paired with one image x*
// of class B, chosen by the user or drawn with the attack's seed.
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/plugin/AttackPlugin.h"

#include <algorithm>

namespace {

using namespace poisonlab;
using namespace poisonlab::attack;

class SingleTargetImageAttack final : public AttackPlugin {
public:
    AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                        const AttackContext &context) const override
    {
        const std::string &id = metadata().id;
        const LabelSwapOptions opts = parseLabelSwapOptions(options, id, false, {"target_image", "target_image_split"});
        const int targetClass = dataset.classIndex(opts.goals.front().target);

        int chosenImage = -1;
        if (opts.extra.contains("target_image") && targetClass >= 0) {
            chosenImage = findImage(dataset, opts.extra["target_image"], id);
            const int label = dataset.images[chosenImage].label;
            if (label != targetClass)
                fail("target image \"" + dataset.images[chosenImage].path + "\" is of class \"" +
                     (label >= 0 ? dataset.classes[label] : std::string("none")) + "\", not \"" +
                     opts.goals.front().target + "\"");
        }
        std::string imageSplit = "test"; // the paper picks x* among the test images (it must be in the gallery)
        if (opts.extra.contains("target_image_split")) {
            const auto &s = opts.extra["target_image_split"];
            if (!s.is_string() || (s != "all" && !data::parseSplit(s.get<std::string>())))
                fail("option \"target_image_split\" must be \"train\", \"val\", \"test\" or \"all\"");
            imageSplit = s.get<std::string>();
        }

        auto choose = [&](const data::Dataset &ds, const AttackGoal &goal, int,
                          const std::vector<PoisonUnitGroup> &units, const std::vector<int> &trainTargets, Rng &rng) {
            int image = chosenImage;
            if (image < 0) {
                std::vector<int> candidates = imagesOfClass(ds, goal.targetClass, imageSplit);
                if (candidates.empty() && !opts.extra.contains("target_image_split"))
                    candidates = trainTargets; // no test images of B: fall back to the training ones
                if (candidates.empty())
                    fail("class \"" + goal.target + "\" has no images in the " + imageSplit +
                         " split to pick the target image from");
                image = candidates[rng.below(candidates.size())];
            }
            return std::vector<int>(units.size(), image);
        };
        AttackResult result = runLabelSwap(dataset, opts, id, choose, context.progress);
        if (!result.manifest.pairs.empty())
            result.manifest.options["target_image"] = result.manifest.pairs.front().newPath;
        return result;
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(SingleTargetImageAttack)
