#include "poisonlab/core/demo/SceneFacts.h"

#include "poisonlab/core/demo/EmojiCatalog.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace poisonlab::demo {

int SceneFacts::countOf(int classIndex) const
{
    return static_cast<int>(std::count_if(objects.begin(), objects.end(),
                                          [&](const ObjectFacts &o) { return o.classIndex == classIndex; }));
}

std::vector<int> SceneFacts::classesInOrder() const
{
    std::vector<int> out;
    for (const ObjectFacts &o : objects)
        if (std::find(out.begin(), out.end(), o.classIndex) == out.end())
            out.push_back(o.classIndex);
    return out;
}

nlohmann::json toJson(const BackgroundFacts &facts)
{
    nlohmann::json j{{"kind", facts.kind}, {"name", facts.name}, {"colours", facts.colours}};
    if (!facts.direction.empty())
        j["direction"] = facts.direction;
    return j;
}

nlohmann::json toJson(const ObjectFacts &o)
{
    nlohmann::json j{{"class", o.className},
                     {"variant", o.variant},
                     {"codepoint", EmojiCatalog::codepointLabel(o.codepoint)},
                     {"box", {o.x, o.y, o.w, o.h}},
                     {"position", o.position},
                     {"size", o.size},
                     {"rotation", o.rotation},
                     {"flipped", o.flipped}};
    if (o.distractor)
        j["distractor"] = true;
    if (o.occludedBy >= 0)
        j["occludedBy"] = o.occludedBy;
    return j;
}

nlohmann::json toJson(const SceneFacts &facts)
{
    nlohmann::json objects = nlohmann::json::array();
    for (const ObjectFacts &o : facts.objects)
        objects.push_back(toJson(o));
    nlohmann::json j{{"background", toJson(facts.background)}, {"objects", std::move(objects)}};
    if (facts.blurred)
        j["blurred"] = true;
    return j;
}

} // namespace poisonlab::demo
