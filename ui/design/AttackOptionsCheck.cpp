#include "design/AttackOptionsCheck.h"

#include "design/TrainingSetSummary.h"

#include "poisonlab/core/attack/PoisonSampling.h"

#include <set>

namespace poisonlab::ui {

using nlohmann::json;

namespace {

bool isEmptyValue(const json &v)
{
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty());
}

std::string stringOf(const json &options, const char *key)
{
    const auto it = options.find(key);
    return it != options.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const plugin::PluginParameter *parameter(const plugin::PluginMetadata &plugin, const std::string &name)
{
    for (const auto &p : plugin.parameters)
        if (p.name == name)
            return &p;
    return nullptr;
}

// The option's value, or the parameter's default when the options leave it out.
json valueOrDefault(const plugin::PluginMetadata &plugin, const json &options, const std::string &name)
{
    if (const auto it = options.find(name); it != options.end())
        return *it;
    const plugin::PluginParameter *p = parameter(plugin, name);
    return p ? p->defaultValue : json();
}

void checkEachValue(const plugin::PluginMetadata &plugin, const json &options, std::vector<OptionProblem> &out)
{
    for (const auto &p : plugin.parameters) {
        const auto it = options.find(p.name);
        if (it == options.end() || isEmptyValue(*it)) {
            if (p.required)
                out.push_back({p.name, p.name + " is required"});
            continue;
        }
        if (auto problem = p.problemWith(*it))
            out.push_back({p.name, *problem});
    }
}

// Source/target versus a goals list: exactly one of them, as the label-swap attacks read them.
void checkGoalShape(const plugin::PluginMetadata &plugin, const json &options, std::vector<OptionProblem> &out)
{
    const bool hasPair = parameter(plugin, "source") && parameter(plugin, "target");
    const bool hasList = parameter(plugin, "goals") != nullptr;
    if (!hasPair || !hasList)
        return;
    const bool pairGiven = !stringOf(options, "source").empty() || !stringOf(options, "target").empty();
    const bool listGiven = options.contains("goals") && !isEmptyValue(options["goals"]);
    if (pairGiven && listGiven)
        out.push_back({"goals", "give either class A and B or a goals list, not both"});
    else if (!pairGiven && !listGiven)
        out.push_back({"source", "pick class A (whose captions are poisoned) and class B"});
}

void checkGoals(const std::vector<DesignedGoal> &goals, bool list, std::vector<OptionProblem> &out)
{
    std::set<std::string> sources;
    for (const DesignedGoal &g : goals) {
        if (g.source.empty() || g.target.empty()) {
            if (list)
                out.push_back({"goals", "every goal needs class A and class B"});
            continue;
        }
        if (g.source == g.target)
            out.push_back(
                {list ? "goals" : "target", "class B must differ from class A (both are \"" + g.source + "\")"});
        if (!sources.insert(g.source).second)
            out.push_back(
                {"goals",
                 "\"" + g.source + "\" is class A of more than one goal; a class may be poisoned by one goal only"});
    }
}

void checkAgainstTrainingSet(const std::vector<DesignedGoal> &goals, bool list, const json &rate,
                             const std::string &unit, const TrainingSetSummary &summary,
                             std::vector<OptionProblem> &out)
{
    const std::string in = " in the \"" + summary.split + "\" split";
    for (const DesignedGoal &g : goals) {
        const ClassCount *a = summary.find(g.source);
        const ClassCount *b = summary.find(g.target);
        if (!g.source.empty() && !a)
            out.push_back({list ? "goals" : "source", "\"" + g.source + "\" is not a class of the training set"});
        else if (a && a->captions == 0)
            out.push_back({list ? "goals" : "source", "\"" + g.source + "\" has no captions" + in});
        if (!g.target.empty() && !b)
            out.push_back({list ? "goals" : "target", "\"" + g.target + "\" is not a class of the training set"});
        else if (b && b->images == 0)
            out.push_back({list ? "goals" : "target", "\"" + g.target + "\" has no images" + in});
        if (!a || a->captions == 0 || !rate.is_number())
            continue;
        const double r = rate.get<double>();
        const long long units = summary.units(g.source, unit);
        if (r > 0.0 && r <= 1.0 && attack::poisonCount(r, units) < 1)
            out.push_back({"rate", "rate " + json(r).dump() + " of the " + std::to_string(units) + " \"" + g.source +
                                       "\" " + (unit == "image" ? "images" : "captions") +
                                       " poisons no pair; one of them is " + json(1.0 / double(units)).dump()});
    }
}

// x* must be an image of class B (the attack refuses any other); one of class A is the likely slip.
void checkTargetImage(const json &options, const std::vector<DesignedGoal> &goals, const TrainingSetSummary &summary,
                      std::vector<OptionProblem> &out)
{
    const std::string ref = stringOf(options, "target_image");
    if (ref.empty() || !summary.dataset || goals.empty())
        return;
    const data::Dataset &d = *summary.dataset;
    int found = -1;
    for (size_t i = 0; i < d.images.size() && found < 0; ++i)
        if (d.images[i].path == ref || d.images[i].sourceId == ref)
            found = static_cast<int>(i);
    if (found < 0) {
        out.push_back({"target_image", "\"" + ref + "\" is not an image of the training data"});
        return;
    }
    const int label = d.images[found].label;
    const std::string cls = label >= 0 && static_cast<size_t>(label) < d.classes.size() ? d.classes[label] : "";
    const DesignedGoal &g = goals.front();
    if (!cls.empty() && cls == g.source)
        out.push_back({"target_image",
                       "this image is of class A (\"" + g.source + "\"); pick one of class B (\"" + g.target + "\")"});
    else if (cls != g.target)
        out.push_back({"target_image", "this image is of class \"" + (cls.empty() ? std::string("none") : cls) +
                                           "\", not class B (\"" + g.target + "\")"});
}

} // namespace

std::vector<DesignedGoal> goalsOf(const json &options)
{
    std::vector<DesignedGoal> goals;
    if (!options.is_object())
        return goals;
    if (const auto it = options.find("goals"); it != options.end() && it->is_array() && !it->empty()) {
        for (const json &g : *it)
            if (g.is_object())
                goals.push_back({stringOf(g, "source"), stringOf(g, "target")});
        return goals;
    }
    const std::string source = stringOf(options, "source"), target = stringOf(options, "target");
    if (!source.empty() || !target.empty())
        goals.push_back({source, target});
    return goals;
}

std::vector<OptionProblem> checkAttackOptions(const plugin::PluginMetadata &plugin, const json &options,
                                              const TrainingSetSummary *summary)
{
    std::vector<OptionProblem> out;
    if (!options.is_object())
        return {{"", "the attack's options must be a JSON object"}};
    checkEachValue(plugin, options, out);
    checkGoalShape(plugin, options, out);
    const bool list = options.contains("goals") && options["goals"].is_array() && !options["goals"].empty();
    const std::vector<DesignedGoal> goals = goalsOf(options);
    checkGoals(goals, list, out);
    if (summary) {
        const json unit = valueOrDefault(plugin, options, "unit");
        checkAgainstTrainingSet(goals, list, valueOrDefault(plugin, options, "rate"),
                                unit.is_string() ? unit.get<std::string>() : "caption", *summary, out);
        checkTargetImage(options, goals, *summary, out);
    }
    return out;
}

std::string paperFigureFor(const std::string &pluginId, const std::vector<DesignedGoal> &goals)
{
    if (pluginId == "attack-similarity-aware")
        return "Paper: none (the similarity-aware attack is PoisonLab's adaptive attack, not the paper's).";
    const bool known = pluginId == "attack-single-target-image" || pluginId == "attack-single-target-label" ||
                       pluginId == "attack-multi-target-label";
    if (!known)
        return "Paper: no figure for this attack.";
    for (const DesignedGoal &g : goals)
        if (g.source == "sheep" && g.target == "aeroplane")
            return "Paper (Flickr-PASCAL, sheep → aeroplane): rate 1.0, every sheep image; φ ≈ 0.08% "
                   "(Flickr30k adds ~145k clean pairs).";
    for (const DesignedGoal &g : goals)
        if (g.source == "boat" && g.target == "dog")
            return "Paper (COCO, boat → dog): rate 1.0, every boat caption; φ not stated.";
    return "Paper: rate 1.0 (every class-A unit) in each table; no φ for this pair.";
}

} // namespace poisonlab::ui
