#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/clip/ClipModel.h"
#include "poisonlab/core/clip/Tokenizer.h"
#include "poisonlab/core/plugin/EmbeddingCallbacks.h"

#include <memory>

namespace poisonlab::experiment {

/// Embedding callbacks over one model (eval mode, no grad, batched), for the attacks that need a
/// clean model and for the pre-training filter's scoring. With `progress`, each batch checks for
/// cancellation; the reporter must outlive the callbacks.
plugin::EmbedTextsFn textEmbedder(clip::ClipModel model, std::shared_ptr<clip::Tokenizer> tokenizer,
                                  ProgressReporter *progress = nullptr);
plugin::EmbedImagesFn imageEmbedder(clip::ClipModel model, ProgressReporter *progress = nullptr);

} // namespace poisonlab::experiment
