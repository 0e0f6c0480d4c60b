// Beyond the paper: an adaptive Attack II/III. For each poisoned class-A unit it picks, among
// class-B training images, the one a clean model finds closest to the unit's captions, so the
// poisoned pairs look less mismatched to a distance-based pre-training filter.
#include "poisonlab/core/JsonValue.h"
#include "poisonlab/core/attack/LabelSwapAttack.h"
#include "poisonlab/core/plugin/AttackPlugin.h"

#include <cmath>
#include <limits>

namespace {

using namespace poisonlab;
using namespace poisonlab::attack;

double dot(const std::vector<float> &a, const std::vector<float> &b)
{
    double s = 0;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
        s += double(a[i]) * b[i];
    return s;
}

class SimilarityAwareAttack final : public AttackPlugin {
public:
    bool needsEmbeddings() const override { return true; }

    AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                        const AttackContext &context) const override
    {
        const std::string &id = metadata().id;
        const bool multi = options.is_object() && options.contains("goals");
        const LabelSwapOptions opts = parseLabelSwapOptions(options, id, multi, {"max_uses"});
        long long maxUses = 0;
        if (opts.extra.contains("max_uses")) {
            if (!isNonNegativeInteger(opts.extra["max_uses"]))
                fail("option \"max_uses\" must be a non-negative integer (0: no limit)");
            maxUses = opts.extra["max_uses"].get<long long>();
        }
        if (!context.embedTexts || !context.embedImages)
            fail("needs a clean model to embed captions and images (set the experiment's "
                 "\"attack.model\" or \"model.weights\")");

        auto choose = [&](const data::Dataset &ds, const AttackGoal &goal, int,
                          const std::vector<PoisonUnitGroup> &units, const std::vector<int> &targets, Rng &) {
            if (maxUses > 0 && static_cast<long long>(targets.size()) * maxUses < static_cast<long long>(units.size()))
                fail(std::to_string(units.size()) + " poisoned units need more than " + std::to_string(targets.size()) +
                     " class-\"" + goal.target + "\" images x max_uses " + std::to_string(maxUses));
            std::vector<std::string> texts;
            for (const auto &u : units)
                for (int c : u.captions)
                    texts.push_back(ds.captions[c].text);
            plugin::Embeddings textEmb = context.embedTexts(texts);
            plugin::Embeddings imageEmb = context.embedImages(ds, targets);
            if (textEmb.size() != texts.size() || imageEmb.size() != targets.size())
                fail("the embedding callback returned the wrong number of rows");
            plugin::normaliseRows(textEmb);
            plugin::normaliseRows(imageEmb);
            std::vector<long long> uses(targets.size(), 0);
            std::vector<int> out;
            size_t row = 0;
            for (const auto &u : units) {
                double best = -std::numeric_limits<double>::infinity();
                size_t bestIndex = 0;
                for (size_t t = 0; t < targets.size(); ++t) {
                    if (maxUses > 0 && uses[t] >= maxUses)
                        continue;
                    double score = 0; // mean cosine similarity over the unit's captions
                    for (size_t c = 0; c < u.captions.size(); ++c)
                        score += dot(textEmb[row + c], imageEmb[t]);
                    score /= static_cast<double>(u.captions.size());
                    if (score > best) {
                        best = score;
                        bestIndex = t;
                    }
                }
                row += u.captions.size();
                ++uses[bestIndex];
                out.push_back(targets[bestIndex]);
            }
            return out;
        };
        return runLabelSwap(dataset, opts, id, choose, context.progress);
    }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(SimilarityAwareAttack)
