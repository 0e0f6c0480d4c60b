#include "poisonlab/core/clip/ClipConfig.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <set>

namespace poisonlab::clip {
namespace {

const std::set<std::string> kKeys = {"embed_dim",         "image_resolution",  "vision_layers", "vision_width",
                                     "vision_patch_size", "context_length",    "vocab_size",    "transformer_width",
                                     "transformer_heads", "transformer_layers"};

int readInt(const nlohmann::json &json, const char *key, bool allowNull = false)
{
    if (!json.contains(key))
        throw Error(std::string("CLIP config: missing key \"") + key + "\"");
    const auto &v = json.at(key);
    if (allowNull && v.is_null())
        return 0;
    if (!v.is_number_integer())
        throw Error(std::string("CLIP config: \"") + key + "\" must be an integer, got " + v.dump());
    const auto value = v.get<long long>();
    if (value < 0 || value > 1'000'000)
        throw Error(std::string("CLIP config: \"") + key + "\" is out of range: " + v.dump());
    return static_cast<int>(value);
}

} // namespace

int ClipConfig::visionHeads() const
{
    return isVit() ? visionWidth / 64 : visionWidth * 32 / 64;
}

nlohmann::json ClipConfig::toJson() const
{
    nlohmann::json j;
    j["embed_dim"] = embedDim;
    j["image_resolution"] = imageResolution;
    if (isVit())
        j["vision_layers"] = visionLayers.at(0);
    else
        j["vision_layers"] = visionLayers;
    j["vision_width"] = visionWidth;
    j["vision_patch_size"] = isVit() ? nlohmann::json(visionPatchSize) : nlohmann::json(nullptr);
    j["context_length"] = contextLength;
    j["vocab_size"] = vocabSize;
    j["transformer_width"] = transformerWidth;
    j["transformer_heads"] = transformerHeads;
    j["transformer_layers"] = transformerLayers;
    return j;
}

ClipConfig ClipConfig::fromJson(const nlohmann::json &json)
{
    if (!json.is_object())
        throw Error("CLIP config: expected a JSON object, got " + std::string(json.type_name()));
    for (const auto &item : json.items())
        if (!kKeys.count(item.key()))
            throw Error("CLIP config: unknown key \"" + item.key() +
                        "\" (expected OpenAI CLIP's constructor arguments: embed_dim, "
                        "image_resolution, vision_layers, vision_width, vision_patch_size, "
                        "context_length, vocab_size, transformer_width, transformer_heads, "
                        "transformer_layers)");
    ClipConfig c;
    c.embedDim = readInt(json, "embed_dim");
    c.imageResolution = readInt(json, "image_resolution");
    if (!json.contains("vision_layers"))
        throw Error("CLIP config: missing key \"vision_layers\"");
    const auto &layers = json.at("vision_layers");
    c.visionLayers.clear();
    if (layers.is_number_integer()) {
        c.visionLayers.push_back(readInt(json, "vision_layers"));
    } else if (layers.is_array() && layers.size() == 4) {
        for (const auto &v : layers) {
            if (!v.is_number_integer())
                throw Error("CLIP config: \"vision_layers\" entries must be integers, got " + layers.dump());
            c.visionLayers.push_back(v.get<int>());
        }
    } else {
        throw Error("CLIP config: \"vision_layers\" must be an integer (ViT) or a list of four "
                    "integers (ModifiedResNet), got " +
                    layers.dump());
    }
    c.visionWidth = readInt(json, "vision_width");
    c.visionPatchSize = readInt(json, "vision_patch_size", /*allowNull=*/true);
    if (!c.isVit())
        c.visionPatchSize = 0;
    c.contextLength = readInt(json, "context_length");
    c.vocabSize = readInt(json, "vocab_size");
    c.transformerWidth = readInt(json, "transformer_width");
    c.transformerHeads = readInt(json, "transformer_heads");
    c.transformerLayers = readInt(json, "transformer_layers");
    c.validate();
    return c;
}

void ClipConfig::validate() const
{
    auto fail = [](const std::string &what) { throw Error("CLIP config: " + what); };
    if (embedDim <= 0 || imageResolution <= 0 || visionWidth <= 0 || contextLength <= 0 || vocabSize <= 0 ||
        transformerWidth <= 0 || transformerHeads <= 0 || transformerLayers < 0)
        fail("sizes must be positive");
    for (int l : visionLayers)
        if (l < 0 || (!isVit() && l == 0))
            fail("vision_layers must be positive");
    if (transformerWidth % transformerHeads != 0)
        fail("transformer_width " + std::to_string(transformerWidth) + " is not divisible by transformer_heads " +
             std::to_string(transformerHeads));
    if (isVit()) {
        if (visionPatchSize <= 0)
            fail("a ViT image tower needs vision_patch_size > 0");
        if (imageResolution % visionPatchSize != 0)
            fail("image_resolution " + std::to_string(imageResolution) + " is not divisible by vision_patch_size " +
                 std::to_string(visionPatchSize));
        if (visionWidth < 64 || visionWidth % 64 != 0)
            fail("vision_width must be a multiple of 64 (OpenAI's ViT uses width / 64 heads)");
    } else {
        if (visionLayers.size() != 4)
            fail("a ModifiedResNet image tower needs four vision_layers");
        if (imageResolution % 32 != 0)
            fail("a ModifiedResNet needs image_resolution divisible by 32");
        if (visionWidth % 2 != 0 || (visionWidth * 32) % 64 != 0)
            fail("vision_width of a ModifiedResNet must be even");
    }
}

std::vector<std::string> ClipConfig::presetNames()
{
    return {"ViT-B/32", "ViT-B/16", "ViT-L/14", "RN50", "RN101", "demo-tiny", "demo-small"};
}

ClipConfig ClipConfig::preset(const std::string &name)
{
    auto vit = [](int embed, int res, int layers, int width, int patch, int tw, int th, int tl) {
        ClipConfig c;
        c.embedDim = embed;
        c.imageResolution = res;
        c.visionLayers = {layers};
        c.visionWidth = width;
        c.visionPatchSize = patch;
        c.transformerWidth = tw;
        c.transformerHeads = th;
        c.transformerLayers = tl;
        return c;
    };
    auto resnet = [](int embed, std::vector<int> layers, int width, int tw, int th) {
        ClipConfig c;
        c.embedDim = embed;
        c.imageResolution = 224;
        c.visionLayers = std::move(layers);
        c.visionWidth = width;
        c.visionPatchSize = 0;
        c.transformerWidth = tw;
        c.transformerHeads = th;
        c.transformerLayers = 12;
        return c;
    };
    // Values of OpenAI's released models (clip/model.py build_model on their state dicts).
    if (name == "ViT-B/32")
        return vit(512, 224, 12, 768, 32, 512, 8, 12);
    if (name == "ViT-B/16")
        return vit(512, 224, 12, 768, 16, 512, 8, 12);
    if (name == "ViT-L/14")
        return vit(768, 224, 24, 1024, 14, 768, 12, 12);
    if (name == "RN50")
        return resnet(1024, {3, 4, 6, 3}, 64, 512, 8);
    if (name == "RN101")
        return resnet(512, {3, 4, 23, 3}, 64, 512, 8);
    // Small models for the offline demo data (64x64 emoji scenes); the vocabulary is the demo
    // corpus' own BPE, so vocab_size is only a default the demo trainer replaces.
    if (name == "demo-tiny") {
        ClipConfig c = vit(64, 64, 2, 128, 16, 128, 2, 2);
        c.vocabSize = 4096;
        return c;
    }
    if (name == "demo-small") {
        ClipConfig c = vit(128, 64, 4, 256, 8, 256, 4, 4);
        c.vocabSize = 8192;
        return c;
    }
    throw Error("unknown CLIP preset \"" + name +
                "\" (known: ViT-B/32, ViT-B/16, ViT-L/14, RN50, RN101, demo-tiny, demo-small)");
}

} // namespace poisonlab::clip
