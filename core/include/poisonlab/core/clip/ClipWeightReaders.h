#pragma once

#include "poisonlab/core/clip/ClipConfig.h"
#include "poisonlab/core/clip/Safetensors.h"

#include <filesystem>
#include <string>

namespace poisonlab::clip {

/// What a checkpoint holds before a model is built from it: OpenAI-named tensors (in the file's
/// dtypes) and the hyper-parameters they are for.
struct ClipCheckpoint {
    ClipConfig config;
    NamedTensors stateDict;
};

/// The parameters and buffers of an OpenAI TorchScript archive (`ViT-B-32.pt`), and the config
/// inferred from their names and shapes. Each tensor must lie within its storage (a forged size
/// or stride would make later reads run past it). Throws poisonlab::Error naming the file when it
/// is not a TorchScript archive, LibTorch refuses it, or it is no CLIP state dict.
ClipCheckpoint readTorchScriptCheckpoint(const std::filesystem::path &file);

/// A Hugging Face `CLIPModel` folder: config.json (configFromHuggingFace) and model.safetensors,
/// renamed to OpenAI's keys. Throws poisonlab::Error naming the file at fault.
ClipCheckpoint readHuggingFaceFolder(const std::filesystem::path &folder);

/// A lower bound of the number of parameters a model of `config` has (the dominant matrices
/// only), as a double since hostile configs overflow 64 bits.
double minimumParameterCount(const ClipConfig &config);

/// Refuses, before a model is built, a config that needs more parameters than `stateDict` holds
/// numbers: such weights cannot fit it, and building it first would let a few bytes of config
/// allocate gigabytes. Throws poisonlab::Error naming `source`.
void checkConfigFitsWeights(const ClipConfig &config, const NamedTensors &stateDict,
                            const std::filesystem::path &source);

} // namespace poisonlab::clip
