#include "poisonlab/core/clip/ClipOps.h"

#include <ATen/ATen.h>
#include <torch/autograd.h>

#include <limits>
#include <map>
#include <mutex>
#include <tuple>

namespace poisonlab::clip::ops {

torch::Tensor linear(const torch::Tensor &x, const torch::Tensor &weight, const torch::Tensor &bias)
{
    if (x.dim() == 2)
        return at::addmm(bias, x, weight.t());
    auto sizes = x.sizes().vec();
    sizes.back() = weight.size(0);
    return at::addmm(bias, x.reshape({-1, x.size(-1)}), weight.t()).view(sizes);
}

torch::Tensor quickGelu(const torch::Tensor &x)
{
    if (!torch::GradMode::is_enabled() || !x.requires_grad())
        return at::sigmoid(x * 1.702).mul_(x); // no autograd: reuse the buffer
    return x * at::sigmoid(x * 1.702);
}

torch::Tensor causalMask(int64_t length, const torch::TensorOptions &options)
{
    static std::mutex mutex;
    static std::map<std::tuple<int64_t, int, std::string>, torch::Tensor> cache;
    const auto key = std::make_tuple(length, static_cast<int>(options.dtype().toScalarType()), options.device().str());
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end())
        return it->second;
    torch::Tensor mask = torch::full({length, length}, -std::numeric_limits<float>::infinity(), options).triu_(1);
    if (cache.size() > 64)
        cache.clear();
    cache.emplace(key, mask);
    return mask;
}

} // namespace poisonlab::clip::ops
