#include "poisonlab/core/train/ComputeDevices.h"

#include <torch/cuda.h>

namespace poisonlab::train {

std::vector<ComputeDevice> availableDevices()
{
    std::vector<ComputeDevice> devices{{"cpu", "CPU"}};
    if (!torch::cuda::is_available())
        return devices;
    const auto count = static_cast<int>(torch::cuda::device_count());
    for (int i = 0; i < count; ++i)
        devices.push_back({"cuda:" + std::to_string(i), "CUDA device " + std::to_string(i)});
    return devices;
}

} // namespace poisonlab::train
