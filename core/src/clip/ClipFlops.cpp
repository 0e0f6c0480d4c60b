#include "poisonlab/core/clip/ClipFlops.h"

namespace poisonlab::clip {

namespace {

/// One residual attention block over `tokens` tokens of width `width`, `batch` sequences:
/// QKV (3W^2), output projection (W^2) and MLP (8W^2) per token, plus scores and weighted values
/// (2 T W per token), at 2 FLOPs per multiply-add.
double blockFlops(double batch, double tokens, double width)
{
    return 2.0 * batch * tokens * (12.0 * width * width + 2.0 * tokens * width);
}

} // namespace

double clipForwardFlops(const ClipConfig &c, long long batchSize, int textTokens)
{
    if (!c.isVit() || c.visionPatchSize <= 0)
        return 0.0;
    const double b = double(batchSize);
    const double patches =
        double(c.imageResolution / c.visionPatchSize) * double(c.imageResolution / c.visionPatchSize);
    const double vw = c.visionWidth, tw = c.transformerWidth, e = c.embedDim;
    double flops = 2.0 * b * patches * 3.0 * c.visionPatchSize * c.visionPatchSize * vw; // patch embedding
    flops += c.visionLayers.front() * blockFlops(b, patches + 1, vw);
    const double tokens = textTokens > 0 && textTokens < c.contextLength ? textTokens : c.contextLength;
    flops += c.transformerLayers * blockFlops(b, tokens, tw);
    flops += 2.0 * b * (vw + tw) * e; // the two projections
    flops += 2.0 * b * b * e;         // logits
    return flops;
}

double clipTrainStepFlops(const ClipConfig &config, long long batch, int textTokens)
{
    return 3.0 * clipForwardFlops(config, batch, textTokens);
}

} // namespace poisonlab::clip
