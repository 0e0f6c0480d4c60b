#pragma once
// A tiny experiment for end-to-end tests (header-only): 4 classes x 6 images (4 train, 2 test) x
// 2 captions as CSV with PNG files, a BPE vocabulary learned from the captions, and a config for a
// tiny CLIP (width 32, one layer, resolution 32) that trains in seconds.
#include "TestSupport.h"

#include "poisonlab/core/clip/BpeTrainer.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::test {

inline void writeToyExperimentData(const std::filesystem::path &root)
{
    const char *classes[] = {"sheep", "aeroplane", "dog", "cat"};
    std::string csv = "image,caption,label,split\n";
    std::vector<std::string> texts;
    std::filesystem::create_directories(root / "img");
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < 6; ++i) {
            const std::string name = std::string("img/") + classes[c] + std::to_string(i) + ".png";
            cv::Mat img(32, 32, CV_8UC3, cv::Scalar(60 * c, 255 - 60 * c, 30 * i));
            cv::imwrite((root / name).string(), img);
            for (int k = 0; k < 2; ++k) {
                const std::string text = std::string("a ") + classes[c] + (k ? " standing" : " in the picture");
                texts.push_back(text);
                csv += name + "," + text + "," + classes[c] + "," + (i < 4 ? "train" : "test") + "\n";
            }
        }
    writeText(root / "captions.csv", csv);
    clip::BpeTrainer bpe(clip::BpeTrainerOptions{600, 1});
    bpe.addTexts(texts);
    bpe.train()->save(root / "vocab");
}

/// The config as JSON. `attack`: Attack II sheep -> aeroplane on every sheep training caption.
/// Evaluates `goals` (default: sheep -> aeroplane) on the test split after every epoch (2 epochs).
inline nlohmann::json toyExperimentJson(const std::filesystem::path &root, bool attack, const std::string &name = "toy",
                                        nlohmann::json goals = nullptr)
{
    if (goals.is_null())
        goals = {{{"source", "sheep"}, {"target", "aeroplane"}}};
    nlohmann::json j = {{"name", name},
                        {"seed", 4},
                        {"datasets", {{"toy", {{"format", "csv"}, {"root", root.string()}}}}},
                        {"model",
                         {{"config",
                           {{"embed_dim", 32},
                            {"image_resolution", 32},
                            {"vision_layers", 1},
                            {"vision_width", 64},
                            {"vision_patch_size", 16},
                            {"context_length", 16},
                            {"vocab_size", 600},
                            {"transformer_width", 32},
                            {"transformer_heads", 2},
                            {"transformer_layers", 1}}},
                          {"vocab", (root / "vocab").string()}}},
                        {"training", {{"epochs", 2}, {"batchSize", 8}, {"learningRate", 1e-3}, {"warmupSteps", 2}}},
                        {"evaluation", {{"split", "test"}, {"every_epoch", true}, {"goals", goals}}}};
    if (attack)
        j["attack"] = {{"plugin", "attack-single-target-label"},
                       {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 1.0}}}};
    return j;
}

inline experiment::ExperimentConfig toyExperimentConfig(const std::filesystem::path &root, bool attack,
                                                        const std::string &name = "toy", nlohmann::json goals = nullptr)
{
    return experiment::ExperimentConfig::fromJson(toyExperimentJson(root, attack, name, std::move(goals)));
}

} // namespace poisonlab::test
