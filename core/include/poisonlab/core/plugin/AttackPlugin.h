#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/attack/AttackResult.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/plugin/EmbeddingCallbacks.h"
#include "poisonlab/core/plugin/Plugin.h"

#include <nlohmann/json.hpp>

namespace poisonlab::attack {

/// What an attack may use besides the dataset and its options. Attacks that need a clean model
/// (the similarity-aware one) get it as callbacks, so they stay testable with fake embeddings
/// and the plugin never links a model.
struct AttackContext {
    ProgressReporter *progress = nullptr; ///< may be null
    plugin::EmbedTextsFn embedTexts;      ///< empty when no model is available
    plugin::EmbedImagesFn embedImages;
};

/// Interface of plugins of kind "attack". An attack reads a dataset and options (the
/// plugin.json "parameters" describe them), and returns a poisoned copy: captions of the
/// poisoned pairs point at their new image with CaptionRecord::poisoned set and
/// originalImage kept. Bad options (unknown keys or classes, a rate outside (0, 1], a class with
/// no images...) throw poisonlab::Error before anything is changed.
class AttackPlugin : public plugin::Plugin {
public:
    ~AttackPlugin() override;
    /// True when poison() needs AttackContext::embedTexts/embedImages.
    virtual bool needsEmbeddings() const { return false; }
    virtual AttackResult poison(const data::Dataset &dataset, const nlohmann::json &options,
                                const AttackContext &context) const = 0;
};

} // namespace poisonlab::attack
