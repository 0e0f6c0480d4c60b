#pragma once

#include "poisonlab/core/clip/ClipConfig.h"

namespace poisonlab::clip {

/// Floating-point operations (multiply and add counted apart) of the matrix products in one
/// forward pass of a ViT CLIP over `batch` image-caption pairs: the patch embedding, every
/// transformer layer of both towers (QKV, scores, weighted values, output projection, MLP), both
/// projections and the logits. The text tower counts `textTokens` positions (0: the whole context):
/// PoisonLab's encodeText runs only up to the batch's last end-of-text, which is exact through
/// the causal mask, so its work is that of the longest caption, not of 77 positions. Element-wise
/// work (layer norms, softmax, activations) is left out, as model-FLOP counts do. 0 for a
/// ModifiedResNet image tower.
double clipForwardFlops(const ClipConfig &config, long long batch, int textTokens = 0);

/// A training step's model FLOPs: the forward pass and a backward pass of twice its products
/// (each product's gradient for its input and for its weight), 3x the forward.
double clipTrainStepFlops(const ClipConfig &config, long long batch, int textTokens = 0);

} // namespace poisonlab::clip
