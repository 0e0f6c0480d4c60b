#include "poisonlab/core/clip/ResNetBottleneck.h"

#include <torch/nn/modules/pooling.h>

namespace poisonlab::clip {

namespace nn = torch::nn;

ResNetBottleneckImpl::ResNetBottleneckImpl(const ResNetBottleneckOptions &o) : options(o)
{
    const int64_t planes = o.planes();
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(o.inplanes(), planes, 1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(planes));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(planes, planes, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(planes));
    conv3 = register_module("conv3", nn::Conv2d(nn::Conv2dOptions(planes, planes * kExpansion, 1).bias(false)));
    bn3 = register_module("bn3", nn::BatchNorm2d(planes * kExpansion));
    if (o.stride() > 1 || o.inplanes() != planes * kExpansion) {
        // OpenAI names these "-1" (the pool, no parameters), "0" and "1".
        downsample = register_module(
            "downsample",
            nn::Sequential({{"-1", nn::AnyModule(nn::AvgPool2d(nn::AvgPool2dOptions(o.stride())))},
                            {"0", nn::AnyModule(nn::Conv2d(
                                      nn::Conv2dOptions(o.inplanes(), planes * kExpansion, 1).stride(1).bias(false)))},
                            {"1", nn::AnyModule(nn::BatchNorm2d(planes * kExpansion))}}));
    }
}

torch::Tensor ResNetBottleneckImpl::forward(const torch::Tensor &x)
{
    torch::Tensor out = torch::relu(bn1->forward(conv1->forward(x)));
    out = torch::relu(bn2->forward(conv2->forward(out)));
    if (options.stride() > 1)
        out = torch::avg_pool2d(out, options.stride());
    out = bn3->forward(conv3->forward(out));
    torch::Tensor identity = downsample ? downsample->forward(x) : x;
    return torch::relu(out + identity);
}

} // namespace poisonlab::clip
