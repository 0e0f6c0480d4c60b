#include "poisonlab/core/AtomicFile.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <sstream>
#include <unistd.h>

namespace poisonlab {
namespace fs = std::filesystem;

namespace {

std::string errnoText()
{
    return std::strerror(errno);
}

} // namespace

namespace {

WriteFault &writeFault()
{
    static WriteFault fault;
    return fault;
}

} // namespace

void setWriteFaultForTesting(WriteFault fault)
{
    writeFault() = std::move(fault);
}

void writeFileAtomically(const fs::path &path, std::string_view bytes)
{
    std::error_code ec;
    if (path.has_parent_path()) {
        fs::create_directories(path.parent_path(), ec);
        if (ec)
            throw Error(path, "cannot create its folder: " + ec.message());
    }
    // A unique name in the same folder: rename() is only atomic within one file system.
    std::random_device rd;
    fs::path tmp = path;
    tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(rd());

    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        throw Error(path, "cannot write: " + errnoText());
    const char *p = bytes.data();
    size_t left = bytes.size();
    while (left > 0) {
        const std::size_t chunk = std::min<std::size_t>(left, std::size_t(1) << 20);
        const int injected = writeFault() ? writeFault()(path, bytes.size() - left) : 0;
        ssize_t n = injected ? -1 : ::write(fd, p, chunk);
        if (injected)
            errno = injected;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            const std::string why = errnoText();
            ::close(fd);
            ::unlink(tmp.c_str());
            throw Error(path, "write failed: " + why);
        }
        p += n;
        left -= static_cast<size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0) {
        const std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw Error(path, "write failed: " + why);
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const std::string why = errnoText();
        ::unlink(tmp.c_str());
        throw Error(path, "cannot replace file: " + why);
    }
}

void writeJsonAtomically(const fs::path &path, const nlohmann::json &value, int indent)
{
    std::string text = value.dump(indent);
    text.push_back('\n');
    writeFileAtomically(path, text);
}

std::string readFile(const fs::path &path)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(path, "file not found");
    if (fs::is_directory(path, ec))
        throw Error(path, "is a folder, expected a file");
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(path, "cannot open: " + errnoText());
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        throw Error(path, "read failed");
    return ss.str();
}

nlohmann::json readJsonFile(const fs::path &path)
{
    const std::string text = readFile(path);
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        // Turn the byte offset into line:column, which is what an editor shows.
        size_t offset = std::min<size_t>(e.byte > 0 ? e.byte - 1 : 0, text.size());
        size_t line = 1, col = 1;
        for (size_t i = 0; i < offset; ++i) {
            if (text[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string what = e.what();
        if (auto pos = what.find("parse error"); pos != std::string::npos)
            what = what.substr(pos);
        throw Error(path, "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(col) +
                              " (byte " + std::to_string(offset) + "): " + what);
    }
}

} // namespace poisonlab
