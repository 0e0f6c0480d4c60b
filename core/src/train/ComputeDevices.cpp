#include "poisonlab/core/train/ComputeDevices.h"

#include <torch/cuda.h>

#include <fstream>
#include <sstream>

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

std::string cpuFlags()
{
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("flags", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? std::string() : line.substr(colon + 1);
        }
    return {};
}

namespace {

bool hasFlag(const std::string &flags, const std::string &flag)
{
    std::istringstream words(flags);
    std::string word;
    while (words >> word)
        if (word == flag)
            return true;
    return false;
}

} // namespace

std::vector<std::string> supportedPrecisions(const std::string &device, const std::string &flags)
{
    if (device.rfind("cuda", 0) == 0)
        return {"fp32", "bf16", "fp16"};
    if (hasFlag(flags, "avx512_bf16") || hasFlag(flags, "amx_bf16"))
        return {"fp32", "bf16"};
    return {"fp32"};
}

std::optional<std::string> precisionProblem(const std::string &precision, const std::string &device,
                                            const std::string &flags, const std::string &key)
{
    const auto supported = supportedPrecisions(device, flags);
    for (const auto &p : supported)
        if (p == precision)
            return std::nullopt;
    std::string list;
    for (const auto &p : supported)
        list += (list.empty() ? "" : ", ") + p;
    std::string why;
    if (precision == "fp16" && device.rfind("cuda", 0) != 0)
        why = "fp16 runs on CUDA only";
    else if (precision == "bf16")
        why = "this CPU has neither AVX512-BF16 nor AMX (no avx512_bf16 or amx_bf16 in /proc/cpuinfo)";
    else
        why = "it is not a precision this build knows";
    return key + " \"" + precision + "\" cannot run on " + device + ": " + why + "; " + device + " runs " + list;
}

} // namespace poisonlab::train
