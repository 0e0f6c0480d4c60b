#include "poisonlab/core/Npy.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"

#include <bit>
#include <cstring>
#include <regex>
#include <string>

namespace poisonlab {

static_assert(std::endian::native == std::endian::little, "the .npy code writes '<f4' from native floats");

namespace {

std::string shapeText(const std::vector<std::int64_t> &shape)
{
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i)
        s += std::to_string(shape[i]) + (shape.size() == 1 ? "," : i + 1 < shape.size() ? ", " : "");
    return s + ")";
}

std::int64_t product(const std::vector<std::int64_t> &shape)
{
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

} // namespace

void writeNpy(const std::filesystem::path &path, const float *values, const std::vector<std::int64_t> &shape)
{
    for (auto d : shape)
        if (d < 0)
            throw Error(path, "cannot write an array with a negative dimension");
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText(shape) + ", }";
    // magic (6) + version (2) + header length (2) + header + padding + '\n', a multiple of 64.
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';
    if (header.size() > 65535)
        throw Error(path, "the .npy header is too long for format version 1.0");
    const std::size_t bytes = std::size_t(product(shape)) * sizeof(float);
    std::string out;
    out.reserve(10 + header.size() + bytes);
    out += "\x93NUMPY";
    out += char(1);
    out += char(0);
    out += char(header.size() & 0xff);
    out += char((header.size() >> 8) & 0xff);
    out += header;
    out.append(reinterpret_cast<const char *>(values), bytes);
    writeFileAtomically(path, out);
}

void writeNpy(const std::filesystem::path &path, const NpyArray &array)
{
    if (std::int64_t(array.data.size()) != product(array.shape))
        throw Error(path, "array data holds " + std::to_string(array.data.size()) + " values, its shape " +
                              shapeText(array.shape) + " needs " + std::to_string(product(array.shape)));
    writeNpy(path, array.data.data(), array.shape);
}

NpyArray readNpy(const std::filesystem::path &path)
{
    if (!std::filesystem::exists(path))
        throw Error(path, "is missing");
    const std::string bytes = readFile(path);
    if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0)
        throw Error(path, "is not a .npy file (no \\x93NUMPY magic)");
    const int major = static_cast<unsigned char>(bytes[6]);
    std::size_t headerLen = 0, offset = 0;
    if (major == 1) {
        headerLen = std::size_t(static_cast<unsigned char>(bytes[8])) |
                    (std::size_t(static_cast<unsigned char>(bytes[9])) << 8);
        offset = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12)
            throw Error(path, "has a truncated .npy header");
        for (int i = 0; i < 4; ++i)
            headerLen |= std::size_t(static_cast<unsigned char>(bytes[std::size_t(8 + i)])) << (8 * i);
        offset = 12;
    } else {
        throw Error(path, "has .npy format version " + std::to_string(major) + ", which is not supported");
    }
    if (bytes.size() < offset + headerLen)
        throw Error(path, "has a truncated .npy header");
    const std::string header = bytes.substr(offset, headerLen);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([^']*)')")))
        throw Error(path, "has a .npy header without 'descr'");
    if (m[1] != "<f4")
        throw Error(path, "holds dtype '" + m[1].str() + "'; float32 ('<f4') is expected");
    if (!std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*(True|False))")) || m[1] != "False")
        throw Error(path, "is not in C order (fortran_order must be False)");
    if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
        throw Error(path, "has a .npy header without 'shape'");
    NpyArray out;
    const std::string dims = m[1];
    // "(2, 3)", "(4,)", "()": whole numbers only. A sign, a fraction or a number of more than 18
    // digits is refused here rather than read wrongly (a "-2" as 2) or thrown as another type.
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
        const std::size_t comma = dims.find(',', at);
        std::string dim = dims.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
        dim.erase(0, dim.find_first_not_of(" \t"));
        dim.erase(dim.find_last_not_of(" \t") + 1);
        parts.push_back(dim);
        if (comma == std::string::npos)
            break;
        at = comma + 1;
    }
    if (parts.size() > 1 && parts.back().empty())
        parts.pop_back(); // "(4,)"
    if (parts.size() == 1 && parts.front().empty())
        parts.clear(); // "()"
    std::size_t values = 1;
    bool tooLarge = false;
    for (const std::string &dim : parts) {
        if (dim.empty() || dim.size() > 18 || dim.find_first_not_of("0123456789") != std::string::npos)
            throw Error(path, "has a malformed .npy shape (" + dims + ")");
        out.shape.push_back(std::stoll(dim));
        // Checked as it grows, so no product overflows and nothing is sized by the header alone.
        tooLarge = tooLarge || __builtin_mul_overflow(values, std::size_t(out.shape.back()), &values) ||
                   values > bytes.size() / sizeof(float);
    }
    if (tooLarge)
        throw Error(path, "declares shape " + shapeText(out.shape) + ", more values than its " +
                              std::to_string(bytes.size()) + " bytes hold");
    const std::size_t need = values * sizeof(float);
    const std::size_t dataStart = offset + headerLen;
    if (bytes.size() - dataStart != need)
        throw Error(path, "holds " + std::to_string(bytes.size() - dataStart) + " data bytes; shape " +
                              shapeText(out.shape) + " needs " + std::to_string(need));
    out.data.resize(need / sizeof(float));
    if (need)
        std::memcpy(out.data.data(), bytes.data() + dataStart, need);
    return out;
}

} // namespace poisonlab
