#pragma once

#include "poisonlab/core/clip/ClipConfig.h"
#include "poisonlab/core/clip/Safetensors.h"

#include <nlohmann/json_fwd.hpp>

#include <filesystem>
#include <string>

namespace torch::nn {
class Module;
}

namespace poisonlab::clip {

/// The hyper-parameters of an OpenAI-named state dict, inferred as OpenAI's build_model() does
/// (ViT when `visual.proj` exists; layer counts from the keys; heads = width / 64). Throws
/// poisonlab::Error naming `source` when a key it needs is missing or has the wrong rank.
ClipConfig inferClipConfig(const NamedTensors &stateDict, const std::string &source);

/// A Hugging Face `CLIPModel` config.json read into OpenAI's hyper-parameters (transformers'
/// defaults for absent keys). Activations other than quick_gelu, an MLP that is not 4x wide or
/// vision heads other than width / 64 are not OpenAI's architecture and throw poisonlab::Error.
ClipConfig configFromHuggingFace(const nlohmann::json &config, const std::filesystem::path &file);

/// Renames a transformers `CLIPModel` state dict to OpenAI's keys: q/k/v projections joined
/// into `in_proj_*`, `visual_projection`/`text_projection` transposed, `position_ids` dropped.
/// Keys it does not know are kept (so they are reported as unexpected).
NamedTensors huggingFaceToOpenAi(const NamedTensors &hf);

/// The inverse of huggingFaceToOpenAi() for a ViT CLIP (tests and export to transformers).
NamedTensors openAiToHuggingFace(const NamedTensors &openai);

/// The module's parameters and buffers by name (module order), detached.
NamedTensors stateDict(torch::nn::Module &module);

/// Copies `stateDict` into the module (cast to each parameter's dtype). Every key must match in
/// name and shape: otherwise a poisonlab::Error naming `source` lists the missing keys, the
/// unexpected keys and the shape mismatches, and the module is left unchanged. The attributes
/// OpenAI's TorchScript archives carry (input_resolution, context_length, vocab_size) and a
/// leading "module." (DataParallel checkpoints) are ignored.
void loadStateDict(torch::nn::Module &module, const NamedTensors &stateDict, const std::string &source);

} // namespace poisonlab::clip
