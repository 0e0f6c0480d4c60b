#include "poisonlab/core/defense/NpyFile.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <bit>
#include <cstring>
#include <string>

namespace poisonlab::defense {

static_assert(std::endian::native == std::endian::little, "the .npy writer assumes a little-endian host");

void writeNpy(const std::filesystem::path &path, const NpyArray &array)
{
    std::int64_t count = 1;
    std::string shape = "(";
    for (std::int64_t d : array.shape) {
        count *= d;
        shape += std::to_string(d) + ",";
        if (array.shape.size() > 1)
            shape += " ";
    }
    if (array.shape.size() > 1)
        shape.resize(shape.size() - 2);
    shape += ")";
    if (count != static_cast<std::int64_t>(array.values.size()))
        throw Error(path, "shape " + shape + " does not hold " + std::to_string(array.values.size()) + " values");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    // magic (6) + version (2) + length (2) + header + '\n' is padded to a multiple of 64.
    const size_t total = (10 + header.size() + 1 + 63) / 64 * 64;
    header.append(total - 10 - header.size() - 1, ' ');
    header += '\n';
    std::string bytes("\x93NUMPY\x01\x00", 8);
    const auto length = static_cast<std::uint16_t>(header.size());
    bytes += static_cast<char>(length & 0xff);
    bytes += static_cast<char>(length >> 8);
    bytes += header;
    const size_t start = bytes.size();
    bytes.resize(start + array.values.size() * sizeof(float));
    if (!array.values.empty())
        std::memcpy(bytes.data() + start, array.values.data(), array.values.size() * sizeof(float));
    writeFileAtomically(path, bytes);
}

NpyArray readNpy(const std::filesystem::path &path)
{
    const std::string bytes = readFile(path);
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw Error(path, "is not a .npy file");
    const int major = static_cast<unsigned char>(bytes[6]);
    size_t headerLength = 0, offset = 0;
    if (major == 1) {
        headerLength = static_cast<unsigned char>(bytes[8]) | (static_cast<unsigned char>(bytes[9]) << 8);
        offset = 10;
    } else if (major == 2 && bytes.size() >= 12) {
        for (int i = 3; i >= 0; --i)
            headerLength = (headerLength << 8) | static_cast<unsigned char>(bytes[8 + i]);
        offset = 12;
    } else
        throw Error(path, "has an unsupported .npy version " + std::to_string(major));
    if (bytes.size() < offset + headerLength)
        throw Error(path, "is cut short in its header");
    const std::string header = bytes.substr(offset, headerLength);
    if (header.find("'<f4'") == std::string::npos || header.find("'fortran_order': False") == std::string::npos)
        throw Error(path, "is not a C-order float32 array ('<f4'): " + header);
    const size_t open = header.find("'shape': (");
    const size_t close = header.find(')', open);
    if (open == std::string::npos || close == std::string::npos)
        throw Error(path, "has no shape in its header");
    NpyArray out;
    std::int64_t count = 1;
    std::string dims = header.substr(open + 10, close - open - 10);
    size_t pos = 0;
    while (pos < dims.size()) {
        const size_t comma = dims.find(',', pos);
        const std::string part = dims.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        if (part.find_first_not_of(' ') != std::string::npos) {
            out.shape.push_back(std::stoll(part));
            count *= out.shape.back();
        }
        if (comma == std::string::npos)
            break;
        pos = comma + 1;
    }
    const size_t data = offset + headerLength;
    if (bytes.size() != data + size_t(count) * sizeof(float))
        throw Error(path, "holds " + std::to_string(bytes.size() - data) + " data bytes, not the " +
                              std::to_string(count * 4) + " its shape needs");
    out.values.resize(static_cast<size_t>(count));
    if (count > 0)
        std::memcpy(out.values.data(), bytes.data() + data, size_t(count) * sizeof(float));
    return out;
}

} // namespace poisonlab::defense
