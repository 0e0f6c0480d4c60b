#include "poisonlab/core/attack/PoisonManifest.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonFields.h"

#include <algorithm>
#include <limits>

namespace poisonlab::attack {

using nlohmann::json;

json PoisonManifest::toJson() const
{
    json goalsJson = json::array();
    for (const auto &g : goals)
        goalsJson.push_back({{"source", g.source},
                             {"target", g.target},
                             {"eligible_units", g.eligibleUnits},
                             {"eligible_pairs", g.eligiblePairs},
                             {"poisoned_units", g.poisonedUnits},
                             {"poisoned_pairs", g.poisonedPairs},
                             {"target_images", g.targetImages},
                             {"target_images_used", g.targetImagesUsed}});
    json pairsJson = json::array();
    for (const auto &p : pairs)
        pairsJson.push_back({{"caption", p.caption},
                             {"text", p.text},
                             {"original_image", p.originalImage},
                             {"original_path", p.originalPath},
                             {"new_image", p.newImage},
                             {"new_path", p.newPath},
                             {"source_class", p.sourceClass},
                             {"target_class", p.targetClass},
                             {"goal", p.goal}});
    return {{"format", "poisonlab-poison-manifest"},
            {"version", 1},
            {"attack", attack},
            {"options", options},
            {"seed", seed},
            {"rate", rate},
            {"unit", unit},
            {"split", split},
            {"training_pairs", trainingPairs},
            {"poisoned_pairs", poisonedPairs},
            {"phi", phi()},
            {"goals", goalsJson},
            {"pairs", pairsJson}};
}

namespace {

constexpr long long kIndexMax = std::numeric_limits<int>::max();

GoalSummary readGoal(const JsonFields &g)
{
    return {g.needText("source"),
            g.needText("target"),
            g.needInteger("eligible_units", 0),
            g.needInteger("eligible_pairs", 0),
            g.needInteger("poisoned_units", 0),
            g.needInteger("poisoned_pairs", 0),
            g.needInteger("target_images", 0),
            g.needInteger("target_images_used", 0)};
}

PoisonedPair readPair(const JsonFields &p, std::size_t goals)
{
    return {int(p.needInteger("caption", 0, kIndexMax)), p.needText("text"),
            int(p.needInteger("original_image", 0, kIndexMax)), p.needText("original_path"),
            int(p.needInteger("new_image", 0, kIndexMax)), p.needText("new_path"), p.needText("source_class"),
            p.needText("target_class"),
            // A pair of a goal the manifest does not list would index past its goals.
            int(p.needInteger("goal", 0, std::min<long long>(kIndexMax, (long long)goals - 1)))};
}

} // namespace

PoisonManifest PoisonManifest::fromJson(const json &j, const std::filesystem::path &source)
{
    auto fail = [&](const std::string &problem) -> Error {
        return source.empty() ? Error("poison manifest: " + problem) : Error(source, problem);
    };
    if (!j.is_object() || !j.contains("format") || j["format"] != "poisonlab-poison-manifest")
        throw fail("not a PoisonLab poison manifest (\"format\" is not \"poisonlab-poison-manifest\")");
    const JsonFields in(j, source, source.empty() ? "poison manifest" : "");
    PoisonManifest m;
    m.attack = in.needText("attack");
    m.options = in.object("options");
    m.seed = in.needUnsigned("seed");
    m.rate = in.needNumber("rate");
    m.unit = in.needText("unit");
    m.split = in.needText("split");
    m.trainingPairs = in.needInteger("training_pairs", 0);
    m.poisonedPairs = in.needInteger("poisoned_pairs", 0);
    for (std::size_t i = 0; i < in.list("goals", true).size(); ++i)
        m.goals.push_back(readGoal(in.item("goals", i)));
    for (std::size_t i = 0; i < in.list("pairs", true).size(); ++i)
        m.pairs.push_back(readPair(in.item("pairs", i), m.goals.size()));
    return m;
}

} // namespace poisonlab::attack
