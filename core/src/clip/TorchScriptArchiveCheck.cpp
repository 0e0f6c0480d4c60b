#include "clip/TorchScriptArchiveCheck.h"

#include "poisonlab/core/Error.h"

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::clip {
namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kEndOfCentralDirectory = 0x06054b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::uint32_t kZip64End = 0x06064b50;
constexpr std::uint32_t kCentralEntry = 0x02014b50;
constexpr std::uint32_t kLocalEntry = 0x04034b50;
constexpr std::uint64_t kMaxEntries = 1'000'000;
// PyTorch deflates only its code and debug records, a few KB each; LibTorch allocates what an
// entry declares, so a compressed entry declaring more is refused.
constexpr std::uint64_t kMaxInflated = 64ull << 20;

std::uint64_t le(const std::string &s, std::size_t at, int bytes)
{
    std::uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; --i)
        v = v << 8 | static_cast<unsigned char>(s[at + std::size_t(i)]);
    return v;
}

class ArchiveReader {
public:
    explicit ArchiveReader(const fs::path &file) : m_file(file), m_in(file, std::ios::binary)
    {
        std::error_code ec;
        m_size = fs::file_size(file, ec);
        if (!m_in || ec)
            fail("cannot open for reading");
    }

    [[noreturn]] void fail(const std::string &why) const { throw Error(m_file, "corrupt TorchScript archive: " + why); }

    // As loadClip words a file that is none of the formats it reads.
    [[noreturn]] void failNotAnArchive(const std::string &why) const
    {
        throw Error(m_file,
                    "not a TorchScript archive, a .safetensors file or a Hugging Face CLIPModel folder (" + why + ")");
    }

    std::uint64_t size() const { return m_size; }

    std::string bytesAt(std::uint64_t at, std::uint64_t n, const char *what)
    {
        if (at > m_size || n > m_size - at)
            fail(std::string(what) + " runs past the end of the file");
        std::string out(n, '\0');
        m_in.clear();
        m_in.seekg(static_cast<std::streamoff>(at));
        m_in.read(out.data(), static_cast<std::streamsize>(n));
        if (!m_in)
            fail(std::string("cannot read ") + what);
        return out;
    }

    std::uint32_t crcOf(std::uint64_t at, std::uint64_t n)
    {
        uLong crc = crc32(0, nullptr, 0);
        std::vector<char> buffer(std::min<std::uint64_t>(n, 1 << 20));
        m_in.clear();
        m_in.seekg(static_cast<std::streamoff>(at));
        while (n > 0) {
            const auto chunk = static_cast<std::streamsize>(std::min<std::uint64_t>(n, buffer.size()));
            if (!m_in.read(buffer.data(), chunk))
                fail("cannot read an entry's data");
            crc = crc32(crc, reinterpret_cast<const Bytef *>(buffer.data()), static_cast<uInt>(chunk));
            n -= std::uint64_t(chunk);
        }
        return static_cast<std::uint32_t>(crc);
    }

    // The CRC-32 of a deflated entry's inflated bytes, in constant memory; nothing when the
    // stream is corrupt or does not inflate to exactly `size` bytes.
    std::optional<std::uint32_t> crcOfDeflated(std::uint64_t at, std::uint64_t compressedSize, std::uint64_t size)
    {
        z_stream zs{};
        if (inflateInit2(&zs, -15) != Z_OK) // -15: raw deflate, as in zip entries
            fail("cannot start decompression");
        uLong crc = crc32(0, nullptr, 0);
        std::uint64_t produced = 0;
        std::vector<char> in(std::min<std::uint64_t>(compressedSize, 1 << 16)), out(1 << 16);
        m_in.clear();
        m_in.seekg(static_cast<std::streamoff>(at));
        int rc = Z_OK;
        while (rc != Z_STREAM_END && produced <= size) {
            if (zs.avail_in == 0 && compressedSize > 0) {
                const auto chunk = static_cast<std::streamsize>(std::min<std::uint64_t>(compressedSize, in.size()));
                if (!m_in.read(in.data(), chunk))
                    break;
                compressedSize -= std::uint64_t(chunk);
                zs.next_in = reinterpret_cast<Bytef *>(in.data());
                zs.avail_in = static_cast<uInt>(chunk);
            }
            zs.next_out = reinterpret_cast<Bytef *>(out.data());
            zs.avail_out = static_cast<uInt>(out.size());
            rc = inflate(&zs, Z_NO_FLUSH);
            const std::size_t n = out.size() - zs.avail_out;
            crc = crc32(crc, reinterpret_cast<const Bytef *>(out.data()), static_cast<uInt>(n));
            produced += n;
            if (rc != Z_OK && rc != Z_STREAM_END && !(rc == Z_BUF_ERROR && n > 0))
                break;
        }
        inflateEnd(&zs);
        if (rc != Z_STREAM_END || produced != size)
            return std::nullopt;
        return static_cast<std::uint32_t>(crc);
    }

private:
    fs::path m_file;
    std::ifstream m_in;
    std::uint64_t m_size = 0;
};

struct CentralDirectory {
    std::uint64_t offset = 0;
    std::uint64_t size = 0;
    std::uint64_t entries = 0;
};

// The end-of-central-directory record is in the last 64 KB + 22 bytes (its comment is < 64 KB).
CentralDirectory findCentralDirectory(ArchiveReader &zip)
{
    const std::uint64_t tailSize = std::min<std::uint64_t>(zip.size(), 65535 + 22);
    const std::string tail = zip.bytesAt(zip.size() - tailSize, tailSize, "the end of the archive");
    for (std::size_t at = tail.size() >= 22 ? tail.size() - 22 + 1 : 0; at-- > 0;) {
        if (le(tail, at, 4) != kEndOfCentralDirectory)
            continue;
        CentralDirectory cd{le(tail, at + 16, 4), le(tail, at + 12, 4), le(tail, at + 10, 2)};
        const std::uint64_t recordAt = zip.size() - tailSize + at;
        if (cd.offset == 0xFFFFFFFF || cd.size == 0xFFFFFFFF || cd.entries == 0xFFFF) {
            if (recordAt < 20)
                zip.fail("zip64 end record missing");
            const std::string locator = zip.bytesAt(recordAt - 20, 20, "the zip64 locator");
            if (le(locator, 0, 4) != kZip64Locator)
                zip.fail("zip64 locator missing");
            const std::string end = zip.bytesAt(le(locator, 8, 8), 56, "the zip64 end record");
            if (le(end, 0, 4) != kZip64End)
                zip.fail("zip64 end record missing");
            cd = {le(end, 48, 8), le(end, 40, 8), le(end, 32, 8)};
        }
        return cd;
    }
    zip.failNotAnArchive("it starts like a zip archive but has no end-of-central-directory record");
}

struct Entry {
    std::string name;
    std::uint32_t crc = 0;
    std::uint64_t size = 0;
    std::uint64_t compressedSize = 0;
    std::uint64_t localHeader = 0;
    std::uint32_t method = 0;
};

// Sizes and offsets of 0xFFFFFFFF are in the zip64 extra field, in this order.
void readZip64Extra(ArchiveReader &zip, const std::string &extra, Entry &e)
{
    for (std::size_t at = 0; at + 4 <= extra.size();) {
        const std::uint64_t id = le(extra, at, 2), length = le(extra, at + 2, 2);
        if (at + 4 + length > extra.size())
            zip.fail("entry \"" + e.name + "\" has a malformed extra field");
        if (id == 1) {
            std::size_t field = at + 4;
            for (std::uint64_t *value : {&e.size, &e.compressedSize, &e.localHeader}) {
                if (*value != 0xFFFFFFFF)
                    continue;
                if (field + 8 > at + 4 + length)
                    zip.fail("entry \"" + e.name + "\" has a short zip64 extra field");
                *value = le(extra, field, 8);
                field += 8;
            }
        }
        at += 4 + length;
    }
}

std::vector<Entry> readCentralDirectory(ArchiveReader &zip, const CentralDirectory &cd)
{
    if (cd.entries == 0 || cd.entries > kMaxEntries || cd.size > zip.size() || cd.size / 46 < cd.entries)
        zip.fail("its central directory lists " + std::to_string(cd.entries) + " entries in " +
                 std::to_string(cd.size) + " bytes");
    const std::string dir = zip.bytesAt(cd.offset, cd.size, "the central directory");
    std::vector<Entry> entries;
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < cd.entries; ++i) {
        if (at + 46 > dir.size() || le(dir, at, 4) != kCentralEntry)
            zip.fail("central directory entry " + std::to_string(i + 1) + " is malformed");
        const std::size_t nameLength = le(dir, at + 28, 2), extraLength = le(dir, at + 30, 2),
                          commentLength = le(dir, at + 32, 2);
        if (at + 46 + nameLength + extraLength + commentLength > dir.size())
            zip.fail("central directory entry " + std::to_string(i + 1) + " runs past the directory");
        Entry e;
        e.method = static_cast<std::uint32_t>(le(dir, at + 10, 2));
        e.crc = static_cast<std::uint32_t>(le(dir, at + 16, 4));
        e.compressedSize = le(dir, at + 20, 4);
        e.size = le(dir, at + 24, 4);
        e.localHeader = le(dir, at + 42, 4);
        e.name = dir.substr(at + 46, nameLength);
        readZip64Extra(zip, dir.substr(at + 46 + nameLength, extraLength), e);
        entries.push_back(std::move(e));
        at += 46 + nameLength + extraLength + commentLength;
    }
    return entries;
}

} // namespace

void checkTorchScriptArchive(const fs::path &file)
{
    ArchiveReader zip(file);
    const std::vector<Entry> entries = readCentralDirectory(zip, findCentralDirectory(zip));
    for (const Entry &e : entries) {
        const std::string quoted = "entry \"" + e.name.substr(0, 200) + "\"";
        if (e.method != 0 && e.method != 8)
            zip.fail(quoted + " uses compression method " + std::to_string(e.method) +
                     "; PyTorch writes stored and deflated entries only");
        if (e.method == 0 && e.compressedSize != e.size)
            zip.fail(quoted + " is stored but its two sizes differ");
        if (e.method == 8 && e.size > kMaxInflated)
            zip.fail(quoted + " declares " + std::to_string(e.size) + " bytes inflated, more than the " +
                     std::to_string(kMaxInflated >> 20) + " MB a compressed entry of PyTorch's holds");
        const std::string local = zip.bytesAt(e.localHeader, 30, "a local entry header");
        if (le(local, 0, 4) != kLocalEntry)
            zip.fail(quoted + " has no local header where the directory says");
        const std::uint64_t dataAt = e.localHeader + 30 + le(local, 26, 2) + le(local, 28, 2);
        if (dataAt > zip.size() || e.compressedSize > zip.size() - dataAt)
            zip.fail(quoted + " runs past the end of the file (is it truncated?)");
        const auto crc = e.method == 0 ? std::optional(zip.crcOf(dataAt, e.size))
                                       : zip.crcOfDeflated(dataAt, e.compressedSize, e.size);
        if (!crc)
            zip.fail(quoted + " is damaged: its compressed data does not inflate to its " + std::to_string(e.size) +
                     " bytes");
        if (*crc != e.crc)
            zip.fail(quoted + " is damaged: its CRC-32 differs from the directory's");
    }
}

} // namespace poisonlab::clip
