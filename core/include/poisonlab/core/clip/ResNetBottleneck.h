#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace poisonlab::clip {

struct ResNetBottleneckOptions {
    ResNetBottleneckOptions(int64_t inplanes, int64_t planes, int64_t stride = 1)
        : inplanes_(inplanes), planes_(planes), stride_(stride)
    {
    }
    TORCH_ARG(int64_t, inplanes);
    TORCH_ARG(int64_t, planes);
    TORCH_ARG(int64_t, stride);
};

/// OpenAI's anti-aliased Bottleneck: all convolutions have stride 1 and an average pool does the
/// striding (after conv2, and in front of the downsample convolution).
class ResNetBottleneckImpl : public torch::nn::Module {
public:
    static constexpr int64_t kExpansion = 4;
    explicit ResNetBottleneckImpl(const ResNetBottleneckOptions &options);
    torch::Tensor forward(const torch::Tensor &x);

    ResNetBottleneckOptions options;
    torch::nn::Conv2d conv1{nullptr}, conv2{nullptr}, conv3{nullptr};
    torch::nn::BatchNorm2d bn1{nullptr}, bn2{nullptr}, bn3{nullptr};
    torch::nn::Sequential downsample{nullptr}; ///< "-1" avgpool, "0" conv, "1" bn; null when identity
};
TORCH_MODULE(ResNetBottleneck);

} // namespace poisonlab::clip
