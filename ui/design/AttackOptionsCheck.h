#pragma once

#include "poisonlab/core/plugin/Plugin.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace poisonlab::ui {

struct TrainingSetSummary;

/// One reason the attack designer refuses its options, and the field it belongs next to
/// ("source", "target", "goals", "rate", "target_image"... the plugin.json parameter name).
struct OptionProblem {
    std::string field;
    std::string message;
};

/// One (A, B) goal an attack's options name.
struct DesignedGoal {
    std::string source;
    std::string target;
};

/// The goals `options` name: its "goals" list, or its "source"/"target" pair (empty classes kept).
std::vector<DesignedGoal> goalsOf(const nlohmann::json &options);

/// Everything the designer checks before it writes the attack into the draft: each value
/// through PluginParameter::problemWith, required fields, A = B, a class repeated as a source,
/// and — when `summary` is given — classes unknown or empty in the split, a rate that poisons
/// no pair, and a target image that is not of class B. What core would refuse is refused here.
std::vector<OptionProblem> checkAttackOptions(const plugin::PluginMetadata &plugin, const nlohmann::json &options,
                                              const TrainingSetSummary *summary);

/// The paper's poison rate and φ for this attack and goals, to compare with (docs/experiments.md),
/// or a sentence saying the paper has none.
std::string paperFigureFor(const std::string &pluginId, const std::vector<DesignedGoal> &goals);

} // namespace poisonlab::ui
