#pragma once

#include "poisonlab/core/clip/AttentionPool2d.h"
#include "poisonlab/core/clip/ResNetBottleneck.h"

#include <vector>

namespace poisonlab::clip {

struct ModifiedResNetOptions {
    ModifiedResNetOptions(std::vector<int64_t> layers, int64_t outputDim, int64_t heads, int64_t inputResolution,
                          int64_t width)
        : layers_(std::move(layers)), output_dim_(outputDim), heads_(heads), input_resolution_(inputResolution),
          width_(width)
    {
    }
    TORCH_ARG(std::vector<int64_t>, layers);
    TORCH_ARG(int64_t, output_dim);
    TORCH_ARG(int64_t, heads);
    TORCH_ARG(int64_t, input_resolution);
    TORCH_ARG(int64_t, width);
};

/// OpenAI's ModifiedResNet (RN50, RN101, ...): a stem of three 3x3 convolutions with an average
/// pool, four stages of anti-aliased Bottlenecks, and an AttentionPool2d instead of global pooling.
class ModifiedResNetImpl : public torch::nn::Module {
public:
    explicit ModifiedResNetImpl(const ModifiedResNetOptions &options);
    /// Initialisation of OpenAI's CLIP.initialize_parameters for the ResNet tower.
    void reset_parameters();
    torch::Tensor forward(const torch::Tensor &pixels);

    ModifiedResNetOptions options;
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential layer1{nullptr}, layer2{nullptr}, layer3{nullptr}, layer4{nullptr};
    AttentionPool2d attnpool{nullptr};
};
TORCH_MODULE(ModifiedResNet);

} // namespace poisonlab::clip
