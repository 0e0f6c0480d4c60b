#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <functional>
#include <string>
#include <vector>

namespace poisonlab::plugin {

/// How attacks and defenses reach a clean model without linking one: the host (the experiment
/// runner, `defend`) embeds through these callbacks, tests pass fake embeddings. Shared by the
/// attack and defense interfaces, so neither has to include the other.

/// Embedding rows, one per input (unit length or not: callers normalise).
using Embeddings = std::vector<std::vector<float>>;
/// Scales every non-zero row to unit length (cosine similarity becomes a dot product).
void normaliseRows(Embeddings &rows);
/// Embeds caption texts with a clean model.
using EmbedTextsFn = std::function<Embeddings(const std::vector<std::string> &texts)>;
/// Embeds images (indices into `dataset.images`) with a clean model.
using EmbedImagesFn = std::function<Embeddings(const data::Dataset &dataset, const std::vector<int> &images)>;

} // namespace poisonlab::plugin
