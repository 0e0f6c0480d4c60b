#pragma once

#include "poisonlab/core/clip/ClipConfig.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace poisonlab::clip {

struct LoadedClip;

/// What a CLIP model is made of, as a person picking starting weights wants to see it: the two
/// towers (image: ViT or ModifiedResNet; text: transformer), their sizes, the shared embedding
/// and the parameter count. Plain values, so it crosses threads and prints in a form or a log.
struct ClipDescription {
    std::string visionTower; ///< "ViT" or "ResNet"
    int visionWidth = 0;
    std::vector<int> visionLayers; ///< one entry (ViT) or four stages (ResNet)
    int visionHeads = 0;
    int patchSize = 0; ///< 0 for ResNet
    int imageResolution = 0;
    int textWidth = 0;
    int textLayers = 0;
    int textHeads = 0;
    int contextLength = 0;
    int vocabSize = 0;
    int embedDim = 0;
    std::int64_t parameters = 0; ///< 0 when only the config is known
    bool hasTokenizer = false;

    /// {"vision": {...}, "text": {...}, "embed_dim", "parameters", "has_tokenizer"}.
    nlohmann::json toJson() const;
    /// "ViT-B/32-like: image ViT width 768, 12 layers, 12 heads, patch 32, 224 px" style lines.
    std::vector<std::string> lines() const;
};

/// Describes a config alone (parameters stay 0).
ClipDescription describeConfig(const ClipConfig &config);
/// Describes a loaded model: its config, parameter count and whether it carries a tokenizer.
ClipDescription describeModel(const LoadedClip &clip);

} // namespace poisonlab::clip
