#include "poisonlab/core/clip/ClipDescription.h"

#include "poisonlab/core/clip/ClipWeights.h"

#include <nlohmann/json.hpp>

#include <sstream>

namespace poisonlab::clip {

using nlohmann::json;

namespace {

std::string layersText(const std::vector<int> &layers)
{
    if (layers.size() == 1)
        return std::to_string(layers.front()) + " layers";
    std::string s = "stages ";
    for (std::size_t i = 0; i < layers.size(); ++i)
        s += (i ? "-" : "") + std::to_string(layers[i]);
    return s + " blocks";
}

// 151277313 -> "151.3 M"
std::string millions(std::int64_t n)
{
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(n < 10'000'000 ? 2 : 1);
    out << double(n) / 1e6 << " M";
    return out.str();
}

} // namespace

ClipDescription describeConfig(const ClipConfig &config)
{
    ClipDescription d;
    d.visionTower = config.isVit() ? "ViT" : "ResNet";
    d.visionWidth = config.visionWidth;
    d.visionLayers = config.visionLayers;
    d.visionHeads = config.visionHeads();
    d.patchSize = config.isVit() ? config.visionPatchSize : 0;
    d.imageResolution = config.imageResolution;
    d.textWidth = config.transformerWidth;
    d.textLayers = config.transformerLayers;
    d.textHeads = config.transformerHeads;
    d.contextLength = config.contextLength;
    d.vocabSize = config.vocabSize;
    d.embedDim = config.embedDim;
    return d;
}

ClipDescription describeModel(const LoadedClip &clip)
{
    ClipDescription d = describeConfig(clip.config);
    if (clip.model)
        d.parameters = parameterCount(*ClipModel(clip.model)); // a handle copy: the count only reads
    d.hasTokenizer = clip.tokenizer != nullptr;
    return d;
}

json ClipDescription::toJson() const
{
    json vision = {{"tower", visionTower},
                   {"width", visionWidth},
                   {"layers", visionLayers},
                   {"heads", visionHeads},
                   {"image_resolution", imageResolution}};
    if (patchSize > 0)
        vision["patch_size"] = patchSize;
    return {{"vision", vision},
            {"text",
             {{"tower", "transformer"},
              {"width", textWidth},
              {"layers", textLayers},
              {"heads", textHeads},
              {"context_length", contextLength},
              {"vocab_size", vocabSize}}},
            {"embed_dim", embedDim},
            {"parameters", parameters},
            {"has_tokenizer", hasTokenizer}};
}

std::vector<std::string> ClipDescription::lines() const
{
    std::string image = "Image tower: " + visionTower + ", width " + std::to_string(visionWidth) + ", " +
                        layersText(visionLayers) + ", " + std::to_string(visionHeads) + " heads";
    if (patchSize > 0)
        image += ", patch " + std::to_string(patchSize);
    image += ", " + std::to_string(imageResolution) + " px images";
    const std::string text = "Text tower: transformer, width " + std::to_string(textWidth) + ", " +
                             std::to_string(textLayers) + " layers, " + std::to_string(textHeads) + " heads, " +
                             std::to_string(contextLength) + " tokens, vocabulary " + std::to_string(vocabSize);
    std::string shared = "Embedding " + std::to_string(embedDim);
    if (parameters > 0)
        shared += ", " + millions(parameters) + " parameters";
    shared += hasTokenizer ? ", tokenizer included" : ", no tokenizer (the config's vocab is used)";
    return {image, text, shared};
}

} // namespace poisonlab::clip
