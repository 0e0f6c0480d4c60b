#pragma once

#include "poisonlab/core/Progress.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <iosfwd>

namespace poisonlab::experiment {

/// Pre-trains the small demo CLIP from scratch (a BPE vocabulary learned from the captions, a
/// ClipConfig preset, contrastive training) on Emoji-Web (`<data>/web`, CSV) or, when that is
/// absent, on the training captions of Emoji-PASCAL and Emoji-COCO. The result is cached under
/// `cacheRoot/<key>/clip.safetensors` (+ sidecar and tokenizer), the key hashing the recipe and
/// the corpus' checksum, so later runs reuse it; an interrupted pre-training resumes from its
/// checkpoint. `recipe` keys: architecture, context_length, vocab_size, max_images, training
/// (TrainOptions). Returns the weights' path.
std::filesystem::path ensureDemoModel(const std::filesystem::path &dataDir, const nlohmann::json &recipe,
                                      const std::filesystem::path &cacheRoot, ProgressReporter &progress,
                                      std::ostream &log);

} // namespace poisonlab::experiment
