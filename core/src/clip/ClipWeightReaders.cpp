#include "poisonlab/core/clip/ClipWeightReaders.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipStateDict.h"

#include "clip/TorchScriptArchiveCheck.h"

#include <nlohmann/json.hpp>
#include <torch/script.h>

#include <cmath>

namespace poisonlab::clip {
namespace fs = std::filesystem;

namespace {

std::string firstLine(const std::string &text)
{
    return text.substr(0, text.find('\n'));
}

// The highest element a strided tensor reaches must lie within its storage; LibTorch's unpickler
// takes sizes, strides and offsets from the archive as they are.
void checkWithinStorage(const fs::path &file, const std::string &name, const torch::Tensor &t)
{
    if (!t.defined())
        throw Error(file, "tensor \"" + name + "\" is undefined");
    if (t.numel() == 0)
        return;
    if (t.is_sparse() || t.is_quantized() || !t.has_storage())
        throw Error(file, "tensor \"" + name + "\" is not a plain dense tensor");
    if (t.storage_offset() < 0)
        throw Error(file, "tensor \"" + name + "\" starts before its storage");
    // In elements, as doubles: the sizes and strides are the archive's and may overflow 64 bits.
    double last = double(t.storage_offset());
    for (int64_t d = 0; d < t.dim(); ++d) {
        if (t.stride(d) < 0)
            throw Error(file, "tensor \"" + name + "\" has a negative stride");
        last += double(t.size(d) - 1) * double(t.stride(d));
    }
    const double capacity = double(t.storage().nbytes()) / double(t.element_size());
    if (last >= capacity)
        throw Error(file, "tensor \"" + name + "\" reaches past the end of its storage (element " +
                              std::to_string(int64_t(last)) + " of " + std::to_string(int64_t(capacity)) + ")");
}

NamedTensors readTorchScriptTensors(const fs::path &file)
{
    checkTorchScriptArchive(file);
    NamedTensors sd;
    try {
        const torch::jit::Module module = torch::jit::load(file.string(), torch::kCPU);
        for (const auto &p : module.named_parameters(true))
            sd.emplace_back(p.name, p.value.detach());
        for (const auto &b : module.named_buffers(true))
            sd.emplace_back(b.name, b.value.detach());
    } catch (const c10::Error &e) {
        throw Error(file, "not a TorchScript archive, a .safetensors file or a Hugging Face CLIPModel folder (" +
                              firstLine(e.what_without_backtrace()) + ")");
    } catch (const std::exception &e) { // LibTorch's unpickler also throws std::runtime_error and others
        throw Error(file, "corrupt TorchScript archive (" + firstLine(e.what()) + ")");
    }
    for (const auto &[name, t] : sd)
        checkWithinStorage(file, name, t);
    return sd;
}

} // namespace

ClipCheckpoint readTorchScriptCheckpoint(const fs::path &file)
{
    ClipCheckpoint out;
    out.stateDict = readTorchScriptTensors(file);
    out.config = inferClipConfig(out.stateDict, file.string());
    return out;
}

ClipCheckpoint readHuggingFaceFolder(const fs::path &folder)
{
    const fs::path configFile = folder / "config.json";
    const fs::path weights = folder / "model.safetensors";
    if (!fs::exists(configFile))
        throw Error(folder, "not a Hugging Face CLIPModel folder: config.json is missing");
    if (!fs::exists(weights))
        throw Error(folder, fs::exists(folder / "pytorch_model.bin")
                                ? "only pytorch_model.bin found; convert it to model.safetensors first"
                                : "not a Hugging Face CLIPModel folder: model.safetensors is missing");
    ClipCheckpoint out;
    out.config = configFromHuggingFace(readJsonFile(configFile), configFile);
    out.stateDict = huggingFaceToOpenAi(Safetensors::open(weights).readAll());
    return out;
}

double minimumParameterCount(const ClipConfig &c)
{
    auto sq = [](double x) { return x * x; };
    const double tw = c.transformerWidth, vw = c.visionWidth;
    // Per residual block: in_proj 3w^2, out_proj w^2, c_fc 4w^2, c_proj 4w^2.
    double n = 12.0 * c.transformerLayers * sq(tw) + (double(c.vocabSize) + c.contextLength + c.embedDim) * tw;
    if (c.isVit()) {
        const double patch = std::max(c.visionPatchSize, 1), grid = std::floor(c.imageResolution / patch);
        n += 12.0 * c.visionLayers.at(0) * sq(vw) + 3.0 * sq(patch) * vw + (sq(grid) + 1.0 + c.embedDim) * vw;
    } else {
        // Bottleneck stage i has 3x3 convolutions of width * 2^i channels; then the attention pool.
        for (std::size_t i = 0; i < c.visionLayers.size(); ++i)
            n += 9.0 * c.visionLayers[i] * sq(vw * double(1u << std::min<std::size_t>(i, 8)));
        n += 3.0 * sq(32.0 * vw) + 32.0 * vw * c.embedDim;
    }
    return n;
}

void checkConfigFitsWeights(const ClipConfig &config, const NamedTensors &stateDict, const fs::path &source)
{
    double held = 0;
    for (const auto &[name, t] : stateDict)
        held += double(t.numel());
    const double needed = minimumParameterCount(config);
    if (needed > held)
        throw Error(source, "the weights do not fit the CLIP config: it needs at least " +
                                std::to_string(int64_t(std::min(needed, 9.0e18))) + " parameters, the file holds " +
                                std::to_string(int64_t(held)));
}

} // namespace poisonlab::clip
