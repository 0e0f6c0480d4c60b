#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace poisonlab::defense {

/// A float32 array as numpy's .npy format (version 1.0, little-endian '<f4', C order).
struct NpyArray {
    std::vector<std::int64_t> shape;
    std::vector<float> values;
};

/// Writes `array` atomically; numpy.load() reads it. Throws poisonlab::Error naming the file
/// when the shape does not match the number of values or the file cannot be written.
void writeNpy(const std::filesystem::path &path, const NpyArray &array);

/// Reads a .npy written by writeNpy() (or numpy: '<f4', C order, version 1 or 2). Throws
/// poisonlab::Error naming the file for anything else.
NpyArray readNpy(const std::filesystem::path &path);

} // namespace poisonlab::defense
