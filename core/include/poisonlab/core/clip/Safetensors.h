#pragma once

#include <torch/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace poisonlab::clip {

/// A named tensor list in file order (state dicts keep their order through save and load).
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// Reads and writes the safetensors format (8-byte little-endian header length, a JSON header
/// naming each tensor's dtype, shape and byte range, then the raw little-endian data).
///
/// Opening validates the whole header before any data is read: a header length past the end of
/// the file, a header that is not a JSON object, an unknown dtype, a bad shape, byte ranges out
/// of the data area, overlapping or not matching their shape, and a truncated file each give a
/// poisonlab::Error naming the file and the tensor; nothing crashes or allocates a huge buffer.
class Safetensors {
public:
    struct Entry {
        std::string name;
        std::string dtype; ///< as spelt in the file: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL
        std::vector<int64_t> shape;
        uint64_t begin = 0; ///< byte range within the data area
        uint64_t end = 0;
    };

    /// Parses and validates the header of `path`; throws poisonlab::Error.
    static Safetensors open(const std::filesystem::path &path);

    const std::filesystem::path &path() const { return m_path; }
    /// Entries in the order of their data (which is the order they were written).
    const std::vector<Entry> &entries() const { return m_entries; }
    const std::map<std::string, std::string> &metadata() const { return m_metadata; }
    bool contains(const std::string &name) const;

    /// One tensor in the file's dtype, on the CPU.
    torch::Tensor read(const std::string &name) const;
    /// Every tensor, in data order.
    NamedTensors readAll() const;

    /// The bytes of a safetensors file holding `tensors` (contiguous copies on the CPU) in the
    /// given order, with `metadata` under "__metadata__".
    static std::string serialize(const NamedTensors &tensors, const std::map<std::string, std::string> &metadata = {});
    /// serialize() written with writeFileAtomically().
    static void write(const std::filesystem::path &path, const NamedTensors &tensors,
                      const std::map<std::string, std::string> &metadata = {});

private:
    std::filesystem::path m_path;
    uint64_t m_dataStart = 0;
    std::vector<Entry> m_entries;
    std::map<std::string, std::string> m_metadata;
};

} // namespace poisonlab::clip
