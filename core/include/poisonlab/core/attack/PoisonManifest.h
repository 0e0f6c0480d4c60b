#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::attack {

/// One image-caption pair an attack changed.
struct PoisonedPair {
    int caption = -1; ///< index into Dataset::captions
    std::string text;
    int originalImage = -1;   ///< index into Dataset::images
    std::string originalPath; ///< relative to the dataset root
    int newImage = -1;
    std::string newPath;
    std::string sourceClass; ///< the caption's class (A)
    std::string targetClass; ///< the class of the new image (B)
    int goal = 0;            ///< index into PoisonManifest::goals
};

/// What one goal of an attack did.
struct GoalSummary {
    std::string source;
    std::string target;
    long long eligibleUnits = 0; ///< class-A units (captions or images) the rate applies to
    long long eligiblePairs = 0; ///< class-A captions among them
    long long poisonedUnits = 0;
    long long poisonedPairs = 0;
    long long targetImages = 0; ///< class-B images available
    long long targetImagesUsed = 0;
};

/// Exactly which pairs an attack changed, and the numbers a reader needs to judge it:
/// the poison rate (fraction of class-A units poisoned, per goal) and φ = |Dp| / |D| over the
/// training pairs.
struct PoisonManifest {
    std::string attack;                                ///< plugin id
    nlohmann::json options = nlohmann::json::object(); ///< the resolved options
    std::uint64_t seed = 0;
    double rate = 0;
    std::string unit;            ///< "caption" or "image"
    std::string split;           ///< the split poisoned, e.g. "train"; "all" when the data has none
    long long trainingPairs = 0; ///< |D|
    long long poisonedPairs = 0; ///< |Dp|
    std::vector<GoalSummary> goals;
    std::vector<PoisonedPair> pairs;

    double phi() const { return trainingPairs > 0 ? double(poisonedPairs) / double(trainingPairs) : 0.0; }

    nlohmann::json toJson() const;
    /// Throws poisonlab::Error naming `source` when `j` is not a manifest.
    static PoisonManifest fromJson(const nlohmann::json &j, const std::filesystem::path &source = {});
};

} // namespace poisonlab::attack
