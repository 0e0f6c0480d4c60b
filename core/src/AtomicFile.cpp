#include "poisonlab/core/AtomicFile.h"

#include "poisonlab/core/Error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <optional>
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

namespace {

// POISONLAB_KILL_AT_WRITE=N: the process kills itself (SIGKILL, as `kill -9` does) halfway through
// its Nth atomic write, so the kill tests (tests/slow/tst_killreport) cut a write for certain
// instead of hoping a timed kill lands in one. Unset (always, outside those tests): nothing.
void killHalfwayIfAsked(int fd, std::string_view bytes)
{
    static const long long at = [] {
        const char *v = std::getenv("POISONLAB_KILL_AT_WRITE");
        return v ? std::atoll(v) : 0LL;
    }();
    static std::atomic<long long> writes{0};
    if (at <= 0 || ++writes != at)
        return;
    [[maybe_unused]] const ssize_t n = ::write(fd, bytes.data(), bytes.size() / 2);
    ::raise(SIGKILL);
}

} // namespace

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
    killHalfwayIfAsked(fd, bytes);
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

namespace {

// Deeper documents are refused before parsing: copying or walking a parsed JSON value recurses
// once per level, so a file of 100,000 '[' overflowed the stack.
// PoisonLab's own files nest fewer than ten levels.
constexpr int kMaxJsonDepth = 256;

// The offset of the bracket that opens level kMaxJsonDepth + 1, if any (brackets inside strings
// do not count).
std::optional<std::size_t> tooDeepAt(const std::string &text)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxJsonDepth)
                return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::nullopt;
}

// "line L, column C (byte O)" of `offset`, as an editor shows it.
std::string placeIn(const std::string &text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    size_t line = 1, col = 1;
    for (size_t i = 0; i < offset; ++i) {
        if (text[i] == '\n') {
            ++line;
            col = 1;
        } else {
            ++col;
        }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(col) + " (byte " + std::to_string(offset) +
           ")";
}

} // namespace

nlohmann::json readJsonFile(const fs::path &path)
{
    const std::string text = readFile(path);
    if (const auto deep = tooDeepAt(text))
        throw Error(path, "invalid JSON at " + placeIn(text, *deep) + ": nested deeper than " +
                              std::to_string(kMaxJsonDepth) + " levels");
    try {
        return nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error &e) {
        std::string what = e.what();
        if (auto pos = what.find("parse error"); pos != std::string::npos)
            what = what.substr(pos);
        throw Error(path, "invalid JSON at " + placeIn(text, e.byte > 0 ? e.byte - 1 : 0) + ": " + what);
    } catch (const nlohmann::json::exception &e) {
        // A number beyond a double's range ("1e999") is an out_of_range error with no position
        // (it escaped as another exception type before).
        std::string what = e.what();
        if (auto pos = what.find("] "); pos != std::string::npos)
            what = what.substr(pos + 2);
        throw Error(path, "invalid JSON: " + what);
    }
}

} // namespace poisonlab
