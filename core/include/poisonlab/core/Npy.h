#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace poisonlab {

/// A float32, C-order array as stored in a .npy file (NumPy format version 1.0, '<f4').
struct NpyArray {
    std::vector<std::int64_t> shape; ///< e.g. {rows, cols}; {n} for a vector
    std::vector<float> data;         ///< row-major, product(shape) values

    std::int64_t rows() const { return shape.empty() ? 0 : shape[0]; }
    std::int64_t cols() const { return shape.size() < 2 ? 1 : shape[1]; }
};

/// Writes a float32 C-order .npy file (header v1.0, little-endian '<f4', padded so the data
/// starts at a multiple of 64 bytes) atomically. `values` holds product(shape) floats.
/// Throws poisonlab::Error naming the file.
void writeNpy(const std::filesystem::path &path, const float *values, const std::vector<std::int64_t> &shape);
void writeNpy(const std::filesystem::path &path, const NpyArray &array);

/// Reads a .npy file written by writeNpy() or by numpy.save() of a float32 array: v1.0-3.0
/// headers, '<f4' only, C order only. Anything else (a missing or truncated file, another dtype,
/// Fortran order) is a poisonlab::Error naming the file and what is wrong.
NpyArray readNpy(const std::filesystem::path &path);

} // namespace poisonlab
