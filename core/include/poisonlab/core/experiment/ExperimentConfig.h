#pragma once

#include "poisonlab/core/data/DatasetSource.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::experiment {

/// One named dataset of an experiment.
struct DatasetSpec {
    std::string name;
    data::DatasetSource source;
    /// A clean share: at most this many images of the training split are kept (seeded sample);
    /// 0 keeps all. The demo uses it for the Flickr30k stand-in.
    long long maxImages = 0;
    /// How images get their split (data::SplitPlanner): "own" (the format's splits; images
    /// without one become train), or "per-class-test" (`testPerClass` labelled images per class
    /// become test, drawn with `splitSeed`, the rest train; the paper's PASCAL and COCO splits).
    std::string splitMethod = "own";
    /// false drops every class label and category (a clean share standing in for an unlabelled
    /// dataset such as Flickr30k, whose classes must not join the attack's classes).
    bool keepLabels = true;
    int testPerClass = 25;
    std::uint64_t splitSeed = 0;
};

/// A plugin named in the experiment, with its options.
struct PluginSpec {
    std::string plugin;
    nlohmann::json options = nlohmann::json::object();
};

/// A goal to measure (Hit@K, MinRank): captions of `source` against images of `target`, or
/// against one image (`targetImage`, path or source id: Attack I).
struct EvalGoal {
    std::string source;
    std::string target;
    std::string targetImage;
};

/// The model a run starts from.
struct ModelSpec {
    std::string architecture = "demo-tiny"; ///< a ClipConfig preset name; ignored when `config` is set
    nlohmann::json config;                  ///< a full ClipConfig as JSON (optional)
    std::filesystem::path weights;          ///< safetensors/checkpoint; empty = random init
    std::filesystem::path vocab;            ///< BPE vocabulary when the weights carry none
};

/// Everything one experiment needs, read from one JSON file (see docs/experiments.md).
/// Reading is strict: an unknown or mistyped key, a wrong type, a dataset name used but not
/// defined, a plugin id of the wrong kind... throw poisonlab::Error naming the file and the key
/// path (e.g. `exp.json: unknown key "training.batchsize" (did you mean "batchSize"?)`).
struct ExperimentConfig {
    std::filesystem::path file; ///< where it was read from (empty when built in code)
    std::string name = "experiment";
    std::string description;
    std::uint64_t seed = 0;
    std::vector<DatasetSpec> datasets;
    std::vector<std::string> trainDatasets; ///< names from `datasets`, merged in this order
    std::string trainSplit = "train";
    std::string evalDataset; ///< a name from `datasets`
    std::string evalSplit = "test";
    /// Utility (R@K) on a gallery of its own, as the paper's code measures it on Flickr30k test;
    /// empty: on the evaluation gallery above.
    std::string utilityDataset;
    std::string utilitySplit = "test";
    bool evalEveryEpoch = true;
    nlohmann::json evalOptions = nlohmann::json::object(); ///< poisonlab::eval::EvalOptions keys
    /// Goals measured; empty: the attack's goals (a clean run then measures none).
    std::vector<EvalGoal> evalGoals;
    ModelSpec model;
    std::optional<PluginSpec> attack;
    nlohmann::json training = nlohmann::json::object(); ///< poisonlab::train::TrainOptions keys
    std::vector<PluginSpec> defenses;

    const DatasetSpec &dataset(const std::string &name) const; ///< throws when unknown

    /// The resolved config: absolute paths, every section present. fromJson(toJson()) gives
    /// the same config.
    nlohmann::json toJson() const;

    /// Parses and validates `json`. `file` names the source in messages and anchors relative
    /// paths; `${name}` in path strings expands from `vars`, then from the environment.
    static ExperimentConfig fromJson(const nlohmann::json &json, const std::filesystem::path &file = {},
                                     const std::map<std::string, std::string> &vars = {});
    static ExperimentConfig load(const std::filesystem::path &file,
                                 const std::map<std::string, std::string> &vars = {});
    /// The `${name}` variables the config's strings use, sorted, each once (what a form asks
    /// for before the config can load).
    static std::vector<std::string> variablesIn(const nlohmann::json &json);
};

} // namespace poisonlab::experiment
