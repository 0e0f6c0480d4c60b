#include "poisonlab/core/clip/ClipWeights.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/ConfinedPath.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipStateDict.h"
#include "poisonlab/core/clip/ClipWeightReaders.h"
#include "poisonlab/core/clip/Safetensors.h"
#include "poisonlab/core/clip/Tokenizer.h"

#include <fstream>

namespace poisonlab::clip {
namespace fs = std::filesystem;

namespace {

constexpr const char *kSidecarFormat = "poisonlab-clip-checkpoint";

NamedTensors toFloat32(NamedTensors sd)
{
    for (auto &[k, v] : sd)
        if (v.is_floating_point() && v.scalar_type() != torch::kFloat32)
            v = v.to(torch::kFloat32);
    return sd;
}

ClipModel buildAndLoad(const ClipConfig &config, const NamedTensors &sd, const fs::path &source)
{
    checkConfigFitsWeights(config, sd, source); // before the model allocates what the config says
    ClipModel model(config);
    loadStateDict(*model, sd, source.string());
    model->eval();
    return model;
}

std::shared_ptr<Tokenizer> tokenizerFor(const std::optional<fs::path> &vocab, const std::optional<fs::path> &found)
{
    if (vocab)
        return loadTokenizer(*vocab);
    if (found)
        return loadTokenizer(*found);
    return nullptr;
}

void checkTokenizer(const LoadedClip &clip, const fs::path &source)
{
    if (clip.tokenizer && clip.tokenizer->vocabSize() > clip.config.vocabSize)
        throw Error(source, "the tokenizer has " + std::to_string(clip.tokenizer->vocabSize()) +
                                " tokens but the model's token_embedding only " +
                                std::to_string(clip.config.vocabSize));
}

LoadedClip loadHuggingFace(const fs::path &folder, const std::optional<fs::path> &vocab)
{
    ClipCheckpoint checkpoint = readHuggingFaceFolder(folder);
    LoadedClip out;
    out.config = checkpoint.config;
    out.model = buildAndLoad(out.config, toFloat32(std::move(checkpoint.stateDict)), folder / "model.safetensors");
    std::optional<fs::path> found;
    if (fs::exists(folder / "vocab.json") && fs::exists(folder / "merges.txt"))
        found = folder;
    out.tokenizer = tokenizerFor(vocab, found);
    out.provenance = {{"source", fs::absolute(folder).string()}, {"format", "huggingface-clipmodel"}};
    checkTokenizer(out, folder);
    return out;
}

LoadedClip loadSafetensors(const fs::path &file, const std::optional<fs::path> &vocab)
{
    const Safetensors st = Safetensors::open(file);
    const NamedTensors sd = toFloat32(st.readAll());
    LoadedClip out;
    std::optional<fs::path> found;
    const fs::path sidecar = sidecarPath(file);
    nlohmann::json history;
    if (fs::exists(sidecar)) {
        const nlohmann::json side = readJsonFile(sidecar);
        if (!side.is_object() || !side.contains("config"))
            throw Error(sidecar, "not a PoisonLab checkpoint sidecar: no \"config\"");
        try {
            out.config = ClipConfig::fromJson(side["config"]);
        } catch (const Error &e) {
            throw Error(sidecar, e.what());
        }
        if (side.contains("tokenizer") && side["tokenizer"].is_string())
            found = confinedPath(file.parent_path(), side["tokenizer"].get<std::string>(), sidecar,
                                 {"tokenizer folder", "the weights' folder"});
        history = side.value("provenance", nlohmann::json());
    } else if (st.metadata().count("clip_config")) {
        try {
            out.config = ClipConfig::fromJson(nlohmann::json::parse(st.metadata().at("clip_config")));
        } catch (const std::exception &e) {
            throw Error(file, std::string("bad clip_config metadata: ") + e.what());
        }
    } else {
        out.config = inferClipConfig(sd, file.string());
    }
    out.model = buildAndLoad(out.config, sd, file);
    out.tokenizer = tokenizerFor(vocab, found);
    out.provenance = {{"source", fs::absolute(file).string()}, {"format", "safetensors"}};
    if (!history.is_null())
        out.provenance["history"] = history;
    checkTokenizer(out, file);
    return out;
}

LoadedClip loadTorchScript(const fs::path &file, const std::optional<fs::path> &vocab)
{
    ClipCheckpoint checkpoint = readTorchScriptCheckpoint(file);
    LoadedClip out;
    out.config = checkpoint.config;
    out.model = buildAndLoad(out.config, toFloat32(std::move(checkpoint.stateDict)), file);
    out.tokenizer = tokenizerFor(vocab, std::nullopt);
    out.provenance = {{"source", fs::absolute(file).string()}, {"format", "openai-torchscript"}};
    checkTokenizer(out, file);
    return out;
}

} // namespace

fs::path sidecarPath(const fs::path &safetensorsPath)
{
    fs::path p = safetensorsPath;
    p += ".json";
    return p;
}

LoadedClip loadClip(const fs::path &path, const std::optional<fs::path> &vocab)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path, "model not found");
    if (fs::is_directory(path, ec))
        return loadHuggingFace(path, vocab);
    std::ifstream in(path, std::ios::binary);
    char magic[4] = {0, 0, 0, 0};
    in.read(magic, 4);
    const bool isZip = in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K';
    if (path.extension() == ".safetensors" || !isZip)
        return loadSafetensors(path, vocab);
    return loadTorchScript(path, vocab);
}

void saveClip(const fs::path &safetensorsPath, const ClipModel &model, const Tokenizer *tokenizer,
              const nlohmann::json &provenance)
{
    const ClipConfig config = model->config();
    nlohmann::json side = {{"format", kSidecarFormat}, {"version", 1}, {"config", config.toJson()}};
    if (tokenizer) {
        const std::string folderName = safetensorsPath.stem().string() + ".tokenizer";
        tokenizer->save(safetensorsPath.parent_path() / folderName);
        side["tokenizer"] = folderName;
    } else {
        side["tokenizer"] = nullptr;
    }
    side["provenance"] = provenance;
    NamedTensors sd = stateDict(*model.ptr());
    for (auto &[k, v] : sd)
        v = v.to(torch::kCPU);
    Safetensors::write(safetensorsPath, sd, {{"format", "pt"}, {"clip_config", config.toJson().dump()}});
    writeJsonAtomically(sidecarPath(safetensorsPath), side);
}

} // namespace poisonlab::clip
