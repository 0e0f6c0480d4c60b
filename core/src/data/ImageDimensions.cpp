#include "poisonlab/core/data/ImageDimensions.h"

#include "poisonlab/core/data/ImageFileCheck.h"

#include <array>
#include <fstream>
#include <string>

namespace poisonlab::data {

namespace {

// A JPEG with more segments than this before its frame header is not a photograph.
constexpr int kMaxJpegSegments = 4096;
// TIFF directories of real files hold a few dozen entries.
constexpr std::uint32_t kMaxTiffEntries = 4096;

// Reads `n` bytes at `at`; empty when the file is shorter.
std::string bytesAt(std::ifstream &in, std::uint64_t at, std::size_t n)
{
    in.clear();
    in.seekg(static_cast<std::streamoff>(at));
    std::string out(n, '\0');
    in.read(out.data(), static_cast<std::streamsize>(n));
    if (!in || static_cast<std::size_t>(in.gcount()) != n)
        return {};
    return out;
}

std::uint32_t byteAt(const std::string &s, std::size_t i)
{
    return static_cast<unsigned char>(s[i]);
}

std::uint32_t be16(const std::string &s, std::size_t i)
{
    return byteAt(s, i) << 8 | byteAt(s, i + 1);
}

std::uint32_t be32(const std::string &s, std::size_t i)
{
    return be16(s, i) << 16 | be16(s, i + 2);
}

std::uint32_t le16(const std::string &s, std::size_t i)
{
    return byteAt(s, i) | byteAt(s, i + 1) << 8;
}

std::uint32_t le32(const std::string &s, std::size_t i)
{
    return le16(s, i) | le16(s, i + 2) << 16;
}

std::optional<ImageDimensions> nonZero(std::uint64_t width, std::uint64_t height)
{
    if (width == 0 || height == 0)
        return std::nullopt;
    return ImageDimensions{width, height};
}

// Walks the marker segments from SOI to the first start-of-frame (SOF0..SOF15 but DHT, JPG, DAC).
std::optional<ImageDimensions> jpegDimensions(std::ifstream &in)
{
    std::uint64_t pos = 2;
    for (int segment = 0; segment < kMaxJpegSegments; ++segment) {
        const std::string marker = bytesAt(in, pos, 4);
        if (marker.empty() || byteAt(marker, 0) != 0xFF)
            return std::nullopt;
        const std::uint32_t type = byteAt(marker, 1);
        if (type == 0xFF) { // fill byte before a marker
            ++pos;
            continue;
        }
        if (type == 0x01 || (type >= 0xD0 && type <= 0xD7)) { // no length: TEM, RSTn
            pos += 2;
            continue;
        }
        if (type == 0xD9 || type == 0xDA) // end of image or scan data before any frame header
            return std::nullopt;
        const std::uint32_t length = be16(marker, 2);
        if (length < 2)
            return std::nullopt;
        if (type >= 0xC0 && type <= 0xCF && type != 0xC4 && type != 0xC8 && type != 0xCC) {
            const std::string frame = bytesAt(in, pos + 4, 5); // precision, height, width
            if (frame.empty())
                return std::nullopt;
            return nonZero(be16(frame, 3), be16(frame, 1));
        }
        pos += 2 + length;
    }
    return std::nullopt;
}

std::optional<ImageDimensions> tiffDimensions(std::ifstream &in, bool bigEndian)
{
    auto u16 = [&](const std::string &s, std::size_t i) { return bigEndian ? be16(s, i) : le16(s, i); };
    auto u32 = [&](const std::string &s, std::size_t i) { return bigEndian ? be32(s, i) : le32(s, i); };
    const std::string header = bytesAt(in, 0, 8);
    if (header.empty())
        return std::nullopt;
    const std::uint64_t ifd = u32(header, 4);
    const std::string countBytes = bytesAt(in, ifd, 2);
    if (countBytes.empty() || u16(countBytes, 0) > kMaxTiffEntries)
        return std::nullopt;
    const std::string entries = bytesAt(in, ifd + 2, 12 * std::size_t(u16(countBytes, 0)));
    std::uint64_t width = 0, height = 0;
    for (std::size_t e = 0; e + 12 <= entries.size(); e += 12) {
        const std::uint32_t tag = u16(entries, e), type = u16(entries, e + 2);
        if (tag != 256 && tag != 257)
            continue;
        std::uint64_t value = 0;
        if (type == 3) // SHORT, left-justified in the value field
            value = u16(entries, e + 8);
        else if (type == 4) // LONG
            value = u32(entries, e + 8);
        else
            return std::nullopt;
        (tag == 256 ? width : height) = value;
    }
    return nonZero(width, height);
}

// BMP, GIF, PNG and WebP declare their size within their first 30 bytes.
std::optional<ImageDimensions> fixedHeaderDimensions(const std::string &format, const std::string &h)
{
    if (format == "png") {
        if (h.size() < 24 || h.compare(12, 4, "IHDR") != 0)
            return std::nullopt;
        return nonZero(be32(h, 16), be32(h, 20));
    }
    if (format == "gif")
        return h.size() < 10 ? std::nullopt : nonZero(le16(h, 6), le16(h, 8));
    if (format == "bmp") {
        if (h.size() < 26)
            return std::nullopt;
        if (le32(h, 14) == 12) // BITMAPCOREHEADER: unsigned 16-bit sizes
            return nonZero(le16(h, 18), le16(h, 20));
        const auto width = static_cast<std::int32_t>(le32(h, 18));
        const auto height = static_cast<std::int32_t>(le32(h, 22)); // negative: rows stored top-down
        if (width <= 0 || height == INT32_MIN)
            return std::nullopt;
        return nonZero(std::uint64_t(width), std::uint64_t(height < 0 ? -std::int64_t(height) : height));
    }
    if (format == "webp" && h.size() >= 30) {
        const std::string chunk = h.substr(12, 4);
        if (chunk == "VP8 " && be32(h, 23) >> 8 == 0x9D012A)
            return nonZero(le16(h, 26) & 0x3FFF, le16(h, 28) & 0x3FFF);
        if (chunk == "VP8L" && byteAt(h, 20) == 0x2F) {
            const std::uint32_t bits = le32(h, 21);
            return ImageDimensions{(bits & 0x3FFF) + 1ull, ((bits >> 14) & 0x3FFF) + 1ull};
        }
        if (chunk == "VP8X") {
            const std::uint64_t w = byteAt(h, 24) | byteAt(h, 25) << 8 | byteAt(h, 26) << 16;
            const std::uint64_t ht = byteAt(h, 27) | byteAt(h, 28) << 8 | byteAt(h, 29) << 16;
            return ImageDimensions{w + 1, ht + 1};
        }
    }
    return std::nullopt;
}

} // namespace

std::optional<ImageDimensions> declaredImageDimensions(const std::filesystem::path &file)
{
    std::ifstream in(file, std::ios::binary);
    if (!in)
        return std::nullopt;
    std::array<char, 32> buffer{};
    in.read(buffer.data(), buffer.size());
    const std::string head(buffer.data(), static_cast<std::size_t>(in.gcount()));
    const std::string format = sniffImageFormat(head);
    if (format == "jpeg")
        return jpegDimensions(in);
    if (format == "tiff")
        return tiffDimensions(in, head[0] == 'M');
    return fixedHeaderDimensions(format, head);
}

} // namespace poisonlab::data
