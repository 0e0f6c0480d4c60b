#include "poisonlab/core/clip/ClipStateDict.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>
#include <torch/nn/module.h>

#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace poisonlab::clip {
namespace {

const torch::Tensor *find(const NamedTensors &sd, const std::string &key)
{
    for (const auto &[k, v] : sd)
        if (k == key)
            return &v;
    return nullptr;
}

const torch::Tensor &need(const NamedTensors &sd, const std::string &key, int64_t rank, const std::string &source)
{
    const torch::Tensor *t = find(sd, key);
    if (!t)
        throw Error(source + ": not a CLIP state dict: key \"" + key + "\" is missing");
    if (rank >= 0 && t->dim() != rank)
        throw Error(source + ": \"" + key + "\" has " + std::to_string(t->dim()) + " dimensions, expected " +
                    std::to_string(rank));
    return *t;
}

// Distinct values of the dot-separated component `index` among keys starting with `prefix`.
int countDistinct(const NamedTensors &sd, const std::string &prefix, int index)
{
    std::set<std::string> seen;
    for (const auto &[k, v] : sd) {
        if (k.rfind(prefix, 0) != 0)
            continue;
        std::stringstream ss(k);
        std::string part;
        for (int i = 0; i <= index && std::getline(ss, part, '.'); ++i)
            if (i == index)
                seen.insert(part);
    }
    return static_cast<int>(seen.size());
}

// A size read off a tensor's shape, as an int: a tensor without elements may declare any other
// dimension (2^40 in a safetensors file), which would wrap or overflow the int arithmetic below.
int inferredSize(int64_t size, const char *what, const std::string &source)
{
    if (size < 0 || size > 1'000'000)
        throw Error(source + ": the inferred " + what + " " + std::to_string(size) + " is no CLIP model's");
    return static_cast<int>(size);
}

std::string shapeText(const torch::Tensor &t)
{
    std::ostringstream s;
    s << t.sizes();
    return s.str();
}

} // namespace

ClipConfig inferClipConfig(const NamedTensors &sd, const std::string &source)
{
    ClipConfig c;
    if (find(sd, "visual.proj")) {
        const auto &conv = need(sd, "visual.conv1.weight", 4, source);
        c.visionWidth = inferredSize(conv.size(0), "vision width", source);
        int layers = 0;
        for (const auto &[k, v] : sd) {
            const std::string suffix = ".attn.in_proj_weight";
            if (k.rfind("visual.", 0) == 0 && k.size() > suffix.size() &&
                k.compare(k.size() - suffix.size(), suffix.size(), suffix) == 0)
                ++layers;
        }
        c.visionLayers = {layers};
        c.visionPatchSize = inferredSize(conv.size(-1), "patch size", source);
        const auto &pos = need(sd, "visual.positional_embedding", 2, source);
        const int positions = inferredSize(pos.size(0), "number of image positions", source);
        const int grid = static_cast<int>(std::lround(std::sqrt(std::max(positions - 1, 0))));
        c.imageResolution = c.visionPatchSize * grid;
    } else {
        c.visionLayers.clear();
        for (int b = 1; b <= 4; ++b)
            c.visionLayers.push_back(countDistinct(sd, "visual.layer" + std::to_string(b) + ".", 2));
        c.visionWidth =
            inferredSize(need(sd, "visual.layer1.0.conv1.weight", 4, source).size(0), "vision width", source);
        const auto &pos = need(sd, "visual.attnpool.positional_embedding", 2, source);
        const int positions = inferredSize(pos.size(0), "number of image positions", source);
        const int outputWidth = static_cast<int>(std::lround(std::sqrt(std::max(positions - 1, 0))));
        c.visionPatchSize = 0;
        c.imageResolution = outputWidth * 32;
    }
    c.embedDim = inferredSize(need(sd, "text_projection", 2, source).size(1), "embedding size", source);
    c.contextLength = inferredSize(need(sd, "positional_embedding", 2, source).size(0), "context length", source);
    c.vocabSize = inferredSize(need(sd, "token_embedding.weight", 2, source).size(0), "vocabulary size", source);
    c.transformerWidth = inferredSize(need(sd, "ln_final.weight", 1, source).size(0), "text width", source);
    c.transformerHeads = std::max(1, c.transformerWidth / 64);
    c.transformerLayers = countDistinct(sd, "transformer.resblocks.", 2);
    try {
        c.validate();
    } catch (const Error &e) {
        throw Error(source + ": the inferred " + std::string(e.what()));
    }
    return c;
}

ClipConfig configFromHuggingFace(const nlohmann::json &config, const std::filesystem::path &file)
{
    try {
        if (!config.is_object())
            throw Error(file, "not a JSON object");
        if (config.contains("model_type") && config["model_type"] != "clip")
            throw Error(file, "model_type is " + config["model_type"].dump() + ", expected \"clip\"");
        const nlohmann::json text = config.value("text_config", nlohmann::json::object());
        const nlohmann::json vision = config.value("vision_config", nlohmann::json::object());
        auto get = [&](const nlohmann::json &j, const char *key, int def) {
            if (!j.contains(key))
                return def;
            if (!j[key].is_number_integer())
                throw Error(file, std::string("\"") + key + "\" must be an integer");
            // As ClipConfig's own keys: a larger value is no CLIP model, and read as an int it
            // would wrap (found by fuzz_hf_config: 1111111111111, then 4 x that overflowed).
            const auto value = j[key].get<long long>();
            if (value < 0 || value > 1'000'000)
                throw Error(file, std::string("\"") + key + "\" is out of range: " + j[key].dump());
            return static_cast<int>(value);
        };
        for (const auto *part : {&text, &vision}) {
            const std::string act = part->value("hidden_act", std::string("quick_gelu"));
            if (act != "quick_gelu")
                throw Error(file, "hidden_act \"" + act + "\" is not OpenAI CLIP's quick_gelu");
        }
        ClipConfig c;
        c.embedDim = get(config, "projection_dim", 512);
        c.transformerWidth = get(text, "hidden_size", 512);
        c.transformerHeads = get(text, "num_attention_heads", 8);
        c.transformerLayers = get(text, "num_hidden_layers", 12);
        c.contextLength = get(text, "max_position_embeddings", 77);
        c.vocabSize = get(text, "vocab_size", 49408);
        c.visionWidth = get(vision, "hidden_size", 768);
        c.visionLayers = {get(vision, "num_hidden_layers", 12)};
        c.visionPatchSize = get(vision, "patch_size", 32);
        c.imageResolution = get(vision, "image_size", 224);
        if (get(text, "intermediate_size", 2048) != 4 * c.transformerWidth ||
            get(vision, "intermediate_size", 3072) != 4 * c.visionWidth)
            throw Error(file, "intermediate_size is not 4 x hidden_size as in OpenAI CLIP");
        if (get(vision, "num_attention_heads", 12) != c.visionWidth / 64)
            throw Error(file, "vision num_attention_heads is not hidden_size / 64 as in OpenAI CLIP");
        c.validate();
        return c;
    } catch (const Error &e) {
        if (e.file().empty())
            throw Error(file, e.what());
        throw;
    }
}

NamedTensors huggingFaceToOpenAi(const NamedTensors &hf)
{
    static const std::vector<std::pair<std::regex, std::string>> renames = {
        {std::regex(R"(^text_model\.embeddings\.token_embedding\.weight$)"), "token_embedding.weight"},
        {std::regex(R"(^text_model\.embeddings\.position_embedding\.weight$)"), "positional_embedding"},
        {std::regex(R"(^text_model\.encoder\.layers\.)"), "transformer.resblocks."},
        {std::regex(R"(^text_model\.final_layer_norm\.)"), "ln_final."},
        {std::regex(R"(^vision_model\.embeddings\.class_embedding$)"), "visual.class_embedding"},
        {std::regex(R"(^vision_model\.embeddings\.patch_embedding\.weight$)"), "visual.conv1.weight"},
        {std::regex(R"(^vision_model\.embeddings\.position_embedding\.weight$)"), "visual.positional_embedding"},
        {std::regex(R"(^vision_model\.pre_layrnorm\.)"), "visual.ln_pre."},
        {std::regex(R"(^vision_model\.post_layernorm\.)"), "visual.ln_post."},
        {std::regex(R"(^vision_model\.encoder\.layers\.)"), "visual.transformer.resblocks."},
        {std::regex(R"(\.self_attn\.out_proj\.)"), ".attn.out_proj."},
        {std::regex(R"(\.layer_norm1\.)"), ".ln_1."},
        {std::regex(R"(\.layer_norm2\.)"), ".ln_2."},
        {std::regex(R"(\.mlp\.fc1\.)"), ".mlp.c_fc."},
        {std::regex(R"(\.mlp\.fc2\.)"), ".mlp.c_proj."},
    };
    static const std::regex qkv(R"(^(.*)\.self_attn\.([qkv])_proj\.(weight|bias)$)");
    NamedTensors out;
    std::map<std::string, std::map<char, torch::Tensor>> pending; // "<block>.attn.in_proj_<kind>" -> q/k/v
    std::vector<std::string> pendingOrder;
    for (const auto &[key, value] : hf) {
        if (key.find("position_ids") != std::string::npos)
            continue;
        if (key == "visual_projection.weight") {
            out.emplace_back("visual.proj", value.t().contiguous());
            continue;
        }
        if (key == "text_projection.weight") {
            out.emplace_back("text_projection", value.t().contiguous());
            continue;
        }
        std::string name = key;
        for (const auto &[re, repl] : renames)
            name = std::regex_replace(name, re, repl);
        std::smatch m;
        if (std::regex_match(name, m, qkv)) {
            const std::string target = m[1].str() + ".attn.in_proj_" + m[3].str();
            if (!pending.count(target))
                pendingOrder.push_back(target);
            pending[target][m[2].str()[0]] = value;
            continue;
        }
        out.emplace_back(name, value);
    }
    for (const auto &target : pendingOrder) {
        auto &parts = pending[target];
        if (parts.size() == 3) {
            out.emplace_back(target, torch::cat({parts['q'], parts['k'], parts['v']}, 0));
        } else {
            // Incomplete: keep the pieces under their own names so the error lists them.
            for (const auto &[which, t] : parts)
                out.emplace_back(target + "(" + which + "_proj only)", t);
        }
    }
    return out;
}

NamedTensors openAiToHuggingFace(const NamedTensors &openai)
{
    static const std::vector<std::pair<std::regex, std::string>> renames = {
        {std::regex(R"(^token_embedding\.weight$)"), "text_model.embeddings.token_embedding.weight"},
        {std::regex(R"(^positional_embedding$)"), "text_model.embeddings.position_embedding.weight"},
        {std::regex(R"(^transformer\.resblocks\.)"), "text_model.encoder.layers."},
        {std::regex(R"(^ln_final\.)"), "text_model.final_layer_norm."},
        {std::regex(R"(^visual\.class_embedding$)"), "vision_model.embeddings.class_embedding"},
        {std::regex(R"(^visual\.conv1\.weight$)"), "vision_model.embeddings.patch_embedding.weight"},
        {std::regex(R"(^visual\.positional_embedding$)"), "vision_model.embeddings.position_embedding.weight"},
        {std::regex(R"(^visual\.ln_pre\.)"), "vision_model.pre_layrnorm."},
        {std::regex(R"(^visual\.ln_post\.)"), "vision_model.post_layernorm."},
        {std::regex(R"(^visual\.transformer\.resblocks\.)"), "vision_model.encoder.layers."},
        {std::regex(R"(\.attn\.out_proj\.)"), ".self_attn.out_proj."},
        {std::regex(R"(\.ln_1\.)"), ".layer_norm1."},
        {std::regex(R"(\.ln_2\.)"), ".layer_norm2."},
        {std::regex(R"(\.mlp\.c_fc\.)"), ".mlp.fc1."},
        {std::regex(R"(\.mlp\.c_proj\.)"), ".mlp.fc2."},
    };
    static const std::regex inProj(R"(^(.*)\.attn\.in_proj_(weight|bias)$)");
    NamedTensors out;
    for (const auto &[key, value] : openai) {
        if (key == "visual.proj") {
            out.emplace_back("visual_projection.weight", value.t().contiguous());
            continue;
        }
        if (key == "text_projection") {
            out.emplace_back("text_projection.weight", value.t().contiguous());
            continue;
        }
        std::string name = key;
        for (const auto &[re, repl] : renames)
            name = std::regex_replace(name, re, repl);
        std::smatch m;
        if (std::regex_match(name, m, inProj)) {
            auto parts = value.chunk(3, 0);
            const char *names[3] = {"q", "k", "v"};
            for (int i = 0; i < 3; ++i)
                out.emplace_back(m[1].str() + ".self_attn." + names[i] + "_proj." + m[2].str(), parts[i].contiguous());
            continue;
        }
        out.emplace_back(name, value);
    }
    return out;
}

NamedTensors stateDict(torch::nn::Module &module)
{
    NamedTensors out;
    for (const auto &p : module.named_parameters(true))
        out.emplace_back(p.key(), p.value().detach());
    for (const auto &b : module.named_buffers(true))
        out.emplace_back(b.key(), b.value().detach());
    return out;
}

void loadStateDict(torch::nn::Module &module, const NamedTensors &input, const std::string &source)
{
    static const std::set<std::string> ignored = {"input_resolution", "context_length", "vocab_size"};
    std::map<std::string, torch::Tensor> given;
    std::vector<std::string> duplicates;
    for (const auto &[rawKey, value] : input) {
        std::string key = rawKey.rfind("module.", 0) == 0 ? rawKey.substr(7) : rawKey;
        if (ignored.count(key))
            continue;
        if (!given.emplace(key, value).second)
            duplicates.push_back(key);
    }
    std::map<std::string, torch::Tensor> target;
    for (const auto &p : module.named_parameters(true))
        target.emplace(p.key(), p.value());
    for (const auto &b : module.named_buffers(true))
        target.emplace(b.key(), b.value());

    std::vector<std::string> missing, unexpected, mismatched;
    for (const auto &[key, t] : target) {
        auto it = given.find(key);
        if (it == given.end())
            missing.push_back(key);
        else if (it->second.sizes() != t.sizes())
            mismatched.push_back(key + " (file " + shapeText(it->second) + ", model " + shapeText(t) + ")");
    }
    for (const auto &[key, t] : given)
        if (!target.count(key))
            unexpected.push_back(key);
    if (!missing.empty() || !unexpected.empty() || !mismatched.empty() || !duplicates.empty()) {
        auto list = [](const std::vector<std::string> &v) {
            std::string s;
            const size_t shown = std::min<size_t>(v.size(), 20);
            for (size_t i = 0; i < shown; ++i)
                s += (i ? ", " : "") + v[i];
            if (v.size() > shown)
                s += ", ... (" + std::to_string(v.size() - shown) + " more)";
            return s;
        };
        std::string msg = "weights do not fit the CLIP model:";
        if (!missing.empty())
            msg += "\n  missing keys (" + std::to_string(missing.size()) + "): " + list(missing);
        if (!unexpected.empty())
            msg += "\n  unexpected keys (" + std::to_string(unexpected.size()) + "): " + list(unexpected);
        if (!mismatched.empty())
            msg += "\n  shape mismatches (" + std::to_string(mismatched.size()) + "): " + list(mismatched);
        if (!duplicates.empty())
            msg += "\n  duplicate keys: " + list(duplicates);
        throw Error(source, msg);
    }
    torch::NoGradGuard noGrad;
    for (auto &[key, t] : target) {
        const torch::Tensor &src = given.at(key);
        if (!src.is_floating_point() && t.is_floating_point())
            throw Error(source, "\"" + key + "\" holds integers where the model expects floating point");
        t.copy_(src);
    }
}

} // namespace poisonlab::clip
