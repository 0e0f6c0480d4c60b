#pragma once

#include <string>
#include <vector>

namespace poisonlab::train {

/// A device a run can train on, as TrainOptions::device names it.
struct ComputeDevice {
    std::string id;   ///< "cpu", "cuda:0", "cuda:1"...
    std::string name; ///< for people: "CPU", "CUDA device 0"
    bool isCuda() const { return id.rfind("cuda", 0) == 0; }
};

/// The CPU first, then each CUDA device LibTorch reports (none when CUDA is unavailable).
std::vector<ComputeDevice> availableDevices();

} // namespace poisonlab::train
