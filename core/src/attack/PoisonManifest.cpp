#include "poisonlab/core/attack/PoisonManifest.h"

#include "poisonlab/core/Error.h"

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

PoisonManifest PoisonManifest::fromJson(const json &j, const std::filesystem::path &source)
{
    auto fail = [&](const std::string &problem) -> Error {
        return source.empty() ? Error("poison manifest: " + problem) : Error(source, problem);
    };
    if (!j.is_object() || j.value("format", "") != "poisonlab-poison-manifest")
        throw fail("not a PoisonLab poison manifest (\"format\" is not \"poisonlab-poison-manifest\")");
    PoisonManifest m;
    try {
        m.attack = j.at("attack").get<std::string>();
        m.options = j.value("options", json::object());
        m.seed = j.at("seed").get<std::uint64_t>();
        m.rate = j.at("rate").get<double>();
        m.unit = j.at("unit").get<std::string>();
        m.split = j.at("split").get<std::string>();
        m.trainingPairs = j.at("training_pairs").get<long long>();
        m.poisonedPairs = j.at("poisoned_pairs").get<long long>();
        for (const auto &g : j.at("goals"))
            m.goals.push_back({g.at("source").get<std::string>(), g.at("target").get<std::string>(),
                               g.at("eligible_units").get<long long>(), g.at("eligible_pairs").get<long long>(),
                               g.at("poisoned_units").get<long long>(), g.at("poisoned_pairs").get<long long>(),
                               g.at("target_images").get<long long>(), g.at("target_images_used").get<long long>()});
        for (const auto &p : j.at("pairs"))
            m.pairs.push_back({p.at("caption").get<int>(), p.at("text").get<std::string>(),
                               p.at("original_image").get<int>(), p.at("original_path").get<std::string>(),
                               p.at("new_image").get<int>(), p.at("new_path").get<std::string>(),
                               p.at("source_class").get<std::string>(), p.at("target_class").get<std::string>(),
                               p.at("goal").get<int>()});
    } catch (const json::exception &e) {
        throw fail(std::string("malformed poison manifest: ") + e.what());
    }
    return m;
}

} // namespace poisonlab::attack
