#include "poisonlab/core/clip/ModifiedResNet.h"

#include <torch/nn/init.h>

#include <cmath>

namespace poisonlab::clip {

namespace nn = torch::nn;

ModifiedResNetImpl::ModifiedResNetImpl(const ModifiedResNetOptions &o) : options(o)
{
    TORCH_CHECK(o.layers().size() == 4, "ModifiedResNet needs four stages");
    const int64_t w = o.width();
    conv1 = register_module("conv1", nn::Conv2d(nn::Conv2dOptions(3, w / 2, 3).stride(2).padding(1).bias(false)));
    bn1 = register_module("bn1", nn::BatchNorm2d(w / 2));
    conv2 = register_module("conv2", nn::Conv2d(nn::Conv2dOptions(w / 2, w / 2, 3).padding(1).bias(false)));
    bn2 = register_module("bn2", nn::BatchNorm2d(w / 2));
    conv3 = register_module("conv3", nn::Conv2d(nn::Conv2dOptions(w / 2, w, 3).padding(1).bias(false)));
    bn3 = register_module("bn3", nn::BatchNorm2d(w));

    int64_t inplanes = w;
    auto makeLayer = [&](int64_t planes, int64_t blocks, int64_t stride) {
        nn::Sequential seq;
        seq->push_back(ResNetBottleneck(ResNetBottleneckOptions(inplanes, planes, stride)));
        inplanes = planes * ResNetBottleneckImpl::kExpansion;
        for (int64_t i = 1; i < blocks; ++i)
            seq->push_back(ResNetBottleneck(ResNetBottleneckOptions(inplanes, planes)));
        return seq;
    };
    layer1 = register_module("layer1", makeLayer(w, o.layers()[0], 1));
    layer2 = register_module("layer2", makeLayer(w * 2, o.layers()[1], 2));
    layer3 = register_module("layer3", makeLayer(w * 4, o.layers()[2], 2));
    layer4 = register_module("layer4", makeLayer(w * 8, o.layers()[3], 2));
    attnpool = register_module("attnpool", AttentionPool2d(AttentionPool2dOptions(o.input_resolution() / 32, w * 32,
                                                                                  o.heads(), o.output_dim())));
    reset_parameters();
}

void ModifiedResNetImpl::reset_parameters()
{
    torch::NoGradGuard noGrad;
    const double std = std::pow(static_cast<double>(attnpool->c_proj->weight.size(1)), -0.5);
    for (auto *lin : {attnpool->q_proj.get(), attnpool->k_proj.get(), attnpool->v_proj.get(), attnpool->c_proj.get()})
        nn::init::normal_(lin->weight, 0.0, std);
    for (auto *stage : {&layer1, &layer2, &layer3, &layer4})
        for (const auto &child : (*stage)->children())
            child->as<ResNetBottleneckImpl>()->bn3->weight.zero_();
}

torch::Tensor ModifiedResNetImpl::forward(const torch::Tensor &pixels)
{
    torch::Tensor x = torch::relu(bn1->forward(conv1->forward(pixels)));
    x = torch::relu(bn2->forward(conv2->forward(x)));
    x = torch::relu(bn3->forward(conv3->forward(x)));
    x = torch::avg_pool2d(x, 2);
    x = layer4->forward(layer3->forward(layer2->forward(layer1->forward(x))));
    return attnpool->forward(x);
}

} // namespace poisonlab::clip
