#pragma once

#include "poisonlab/core/clip/ClipConfig.h"
#include "poisonlab/core/clip/ClipModel.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>

namespace poisonlab::clip {

class Tokenizer;

/// A model read by loadClip(), on the CPU in float32 and in eval mode.
struct LoadedClip {
    ClipModel model{nullptr};
    ClipConfig config;
    std::shared_ptr<Tokenizer> tokenizer; ///< null when none was found or given
    nlohmann::json provenance;            ///< where it came from (and, for our checkpoints, its history)
};

/// Loads CLIP weights from
///  - an OpenAI TorchScript archive (`ViT-B-32.pt`: float16 tensors are cast to float32),
///  - a `.safetensors` file with OpenAI / open_clip key names (config from the sidecar
///    `<file>.json` when present, else from the file's metadata, else inferred from the keys as
///    OpenAI's build_model() does; tokenizer from the sidecar's folder),
///  - a Hugging Face `CLIPModel` folder (config.json, model.safetensors, vocab.json, merges.txt).
/// `vocab` (a `.txt.gz` merges file, a vocab.json/merges.txt folder...) overrides the tokenizer.
/// Throws poisonlab::Error naming the file: unreadable or corrupt files, and weights that do not
/// fit (listing missing keys, unexpected keys and shape mismatches).
LoadedClip loadClip(const std::filesystem::path &path, const std::optional<std::filesystem::path> &vocab = {});

/// Writes `safetensorsPath` (open_clip / OpenAI key names, float32 as the model holds them),
/// `<safetensorsPath>.json` (config, tokenizer folder, provenance) and, when `tokenizer` is
/// given, its files in `<stem>.tokenizer/` beside them. Each file is written atomically; the
/// sidecar last, so a reader never sees a sidecar describing weights that are not there.
void saveClip(const std::filesystem::path &safetensorsPath, const ClipModel &model, const Tokenizer *tokenizer,
              const nlohmann::json &provenance);

/// The sidecar path of a checkpoint: `<file>.json`.
std::filesystem::path sidecarPath(const std::filesystem::path &safetensorsPath);

} // namespace poisonlab::clip
