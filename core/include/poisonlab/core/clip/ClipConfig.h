#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace poisonlab::clip {

/// CLIP's hyper-parameters under the names of OpenAI's `CLIP.__init__` arguments. The vision
/// tower is a VisionTransformer when `visionLayers` has one entry (and a patch size), a
/// ModifiedResNet when it has four (RN50: {3, 4, 6, 3}).
struct ClipConfig {
    int embedDim = 512;
    int imageResolution = 224;
    std::vector<int> visionLayers{12};
    int visionWidth = 768;
    int visionPatchSize = 32; ///< 0 for ModifiedResNet
    int contextLength = 77;
    int vocabSize = 49408;
    int transformerWidth = 512;
    int transformerHeads = 8;
    int transformerLayers = 12;

    bool isVit() const { return visionLayers.size() == 1; }
    /// Heads of the image tower as OpenAI derives them: width / 64 (ViT), width * 32 / 64 (ResNet).
    int visionHeads() const;

    /// OpenAI's argument names; `vision_layers` is a number for ViT, a list of four for ResNet.
    nlohmann::json toJson() const;
    /// Reads OpenAI's argument names. Missing, unknown or mistyped keys and inconsistent values
    /// throw poisonlab::Error.
    static ClipConfig fromJson(const nlohmann::json &json);
    /// ViT-B/32, ViT-B/16, ViT-L/14, RN50, RN101, demo-tiny, demo-small; unknown -> Error.
    static ClipConfig preset(const std::string &name);
    static std::vector<std::string> presetNames();

    /// Throws poisonlab::Error when the values cannot build a model (non-positive sizes, a width
    /// not divisible by the heads, a resolution not divisible by the patch size...).
    void validate() const;

    bool operator==(const ClipConfig &other) const = default;
};

} // namespace poisonlab::clip
