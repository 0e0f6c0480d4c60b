#pragma once

#include <optional>
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

/// This machine's CPU feature flags (the "flags" line of /proc/cpuinfo; empty elsewhere).
std::string cpuFlags();

/// The precisions ("fp32", "bf16", "fp16") a device runs: fp16 needs CUDA; bf16 on the CPU needs
/// AVX512-BF16 or AMX (`cpuFlags` as /proc/cpuinfo lists them), where oneDNN runs bfloat16 matrix
/// products natively instead of emulating them slower than float32.
std::vector<std::string> supportedPrecisions(const std::string &device, const std::string &cpuFlags);

/// Why `precision` cannot run on `device` (naming what can), or nothing when it can.
/// `key` names the setting in the message.
std::optional<std::string> precisionProblem(const std::string &precision, const std::string &device,
                                            const std::string &cpuFlags, const std::string &key = "training.precision");

} // namespace poisonlab::train
