#include "poisonlab/core/data/ImageFileCheck.h"

#include <algorithm>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace poisonlab::data {

namespace {

bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && std::memcmp(s.data(), prefix.data(), prefix.size()) == 0;
}

std::uint32_t le32(const char *p)
{
    const auto *u = reinterpret_cast<const unsigned char *>(p);
    return u[0] | (u[1] << 8) | (u[2] << 16) | (static_cast<std::uint32_t>(u[3]) << 24);
}

ssize_t readAt(int fd, char *buf, std::size_t n, off_t at)
{
    std::size_t got = 0;
    while (got < n) {
        const ssize_t r = ::pread(fd, buf + got, n - got, at + static_cast<off_t>(got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += static_cast<std::size_t>(r);
    }
    return static_cast<ssize_t>(got);
}

} // namespace

std::string sniffImageFormat(std::string_view h)
{
    if (startsWith(h, "\xFF\xD8\xFF"))
        return "jpeg";
    if (startsWith(h, "\x89PNG\r\n\x1A\n"))
        return "png";
    if (startsWith(h, "GIF87a") || startsWith(h, "GIF89a"))
        return "gif";
    if (startsWith(h, "BM") && h.size() >= 14)
        return "bmp";
    if (startsWith(h, "RIFF") && h.size() >= 12 && h.substr(8, 4) == "WEBP")
        return "webp";
    if (startsWith(h, std::string_view("II*\0", 4)) || startsWith(h, std::string_view("MM\0*", 4)))
        return "tiff";
    return {};
}

std::optional<std::string> imageFileProblem(const std::filesystem::path &file)
{
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0)
        return errno == ENOENT || errno == ENOTDIR ? "file not found"
                                                   : std::string("cannot read: ") + std::strerror(errno);
    if (S_ISDIR(st.st_mode))
        return std::string("is a folder, not an image file");
    if (!S_ISREG(st.st_mode))
        return std::string("not a regular file");
    if (st.st_size == 0)
        return std::string("empty file");
    const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return std::string("cannot open: ") + std::strerror(errno);
    char head[16] = {};
    const ssize_t nh = readAt(fd, head, sizeof head, 0);
    const std::string format =
        sniffImageFormat(std::string_view(head, static_cast<std::size_t>(std::max<ssize_t>(nh, 0))));
    // The tail tells whether the file was cut short (an interrupted download or copy).
    char tail[4096];
    const off_t size = st.st_size;
    const std::size_t nTailWanted = static_cast<std::size_t>(std::min<off_t>(size, sizeof tail));
    const ssize_t nt = readAt(fd, tail, nTailWanted, size - static_cast<off_t>(nTailWanted));
    ::close(fd);
    if (format.empty())
        return std::string("not an image (unrecognised file header)");
    const std::string_view t(tail, static_cast<std::size_t>(std::max<ssize_t>(nt, 0)));
    if (format == "jpeg") {
        // Some cameras append bytes after the end-of-image marker: look for it near the end.
        const std::size_t at = t.rfind("\xFF\xD9");
        if (at == std::string_view::npos || size < 4)
            return std::string("truncated JPEG (no end-of-image marker)");
    } else if (format == "png") {
        if (t.find(std::string_view("IEND\xAE\x42\x60\x82", 8)) == std::string_view::npos)
            return std::string("truncated PNG (no IEND chunk)");
    } else if (format == "gif") {
        if (t.empty() || t.back() != 0x3B)
            return std::string("truncated GIF (no trailer)");
    } else if (format == "bmp") {
        if (nh >= 6 && le32(head + 2) > static_cast<std::uint32_t>(size))
            return std::string("truncated BMP (shorter than its header says)");
    } else if (format == "webp") {
        if (nh >= 8 && static_cast<off_t>(le32(head + 4)) + 8 > size)
            return std::string("truncated WebP (shorter than its header says)");
    }
    return std::nullopt;
}

bool isValidUtf8(std::string_view text)
{
    const auto *s = reinterpret_cast<const unsigned char *>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            ++i;
            continue;
        }
        int len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + static_cast<std::size_t>(len) > n)
            return false;
        for (int k = 1; k < len; ++k) {
            if ((s[i + static_cast<std::size_t>(k)] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + static_cast<std::size_t>(k)] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += static_cast<std::size_t>(len);
    }
    return true;
}

} // namespace poisonlab::data
