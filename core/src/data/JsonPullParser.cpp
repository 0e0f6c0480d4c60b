#include "poisonlab/core/data/JsonPullParser.h"

#include "clip/Utf8.h"
#include "poisonlab/core/Error.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace poisonlab::data {
namespace fs = std::filesystem;

namespace {
constexpr std::size_t kBufferSize = 1 << 20;
constexpr std::size_t kMaxDepth = 512; // deeper input is rejected instead of overflowing the stack

bool isSpace(int c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::string describe(int c)
{
    if (c < 0)
        return "end of file";
    if (c >= 0x20 && c < 0x7f)
        return std::string("'") + static_cast<char>(c) + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02x", c);
    return buf;
}
} // namespace

JsonPullParser::JsonPullParser(const fs::path &file) : m_file(file), m_buffer(kBufferSize)
{
    m_fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (m_fd < 0)
        throw Error(file, errno == ENOENT ? "file not found" : std::string("cannot open: ") + std::strerror(errno));
    struct stat st {};
    if (::fstat(m_fd, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            ::close(m_fd);
            throw Error(file, "is a folder, expected a JSON file");
        }
        m_fileSize = static_cast<std::uint64_t>(st.st_size);
    }
    ::posix_fadvise(m_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    m_pos = m_end = m_buffer.data();
}

JsonPullParser::~JsonPullParser()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool JsonPullParser::refill()
{
    m_bufferStart += static_cast<std::uint64_t>(m_end - m_buffer.data());
    for (;;) {
        const ssize_t n = ::read(m_fd, m_buffer.data(), m_buffer.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw Error(m_file, std::string("read failed: ") + std::strerror(errno));
        m_pos = m_buffer.data();
        m_end = m_pos + n;
        return n > 0;
    }
}

std::string JsonPullParser::location()
{
    const std::uint64_t target = offset();
    std::uint64_t line = 1, column = 1, seen = 0;
    const int fd = ::open(m_file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        std::vector<char> buf(1 << 16);
        while (seen < target) {
            const ssize_t n = ::read(fd, buf.data(), std::min<std::uint64_t>(buf.size(), target - seen));
            if (n <= 0)
                break;
            for (ssize_t i = 0; i < n; ++i) {
                if (buf[static_cast<std::size_t>(i)] == '\n') {
                    ++line;
                    column = 1;
                } else {
                    ++column;
                }
            }
            seen += static_cast<std::uint64_t>(n);
        }
        ::close(fd);
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column);
}

void JsonPullParser::fail(const std::string &problem)
{
    const std::uint64_t at = offset();
    throw Error(m_file, "invalid JSON at " + location() + " (byte " + std::to_string(at) + "): " + problem);
}

int JsonPullParser::skipSpaceAndPeek()
{
    for (;;) {
        while (m_pos < m_end && isSpace(static_cast<unsigned char>(*m_pos)))
            ++m_pos;
        if (m_pos < m_end)
            return static_cast<unsigned char>(*m_pos);
        if (!refill())
            return -1;
    }
}

void JsonPullParser::expectByte(char expected, const char *what)
{
    const int c = skipSpaceAndPeek();
    if (c != static_cast<unsigned char>(expected))
        fail(std::string("expected ") + what + ", found " + describe(c));
    ++m_pos;
}

JsonPullParser::Type JsonPullParser::peek()
{
    const int c = skipSpaceAndPeek();
    switch (c) {
    case '{':
        return Type::Object;
    case '[':
        return Type::Array;
    case '"':
        return Type::String;
    case 't':
    case 'f':
        return Type::Bool;
    case 'n':
        return Type::Null;
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return Type::Number;
        fail("expected a value, found " + describe(c));
    }
}

void JsonPullParser::beginObject()
{
    expectByte('{', "'{' (an object)");
    openLevel(true);
}

void JsonPullParser::beginArray()
{
    expectByte('[', "'[' (an array)");
    openLevel(false);
}

void JsonPullParser::openLevel(bool object)
{
    if (m_stack.size() >= kMaxDepth)
        fail("nesting deeper than 512 levels");
    m_stack.push_back({object, true});
}

// The step nextKey() and nextElement() share: consumes the closing bracket (End, the level
// popped) or, after the first member, the ',' before the next one. `c` is the byte that follows.
JsonPullParser::Member JsonPullParser::nextMember(bool object, int &c)
{
    if (m_stack.empty() || m_stack.back().object != object)
        fail(object ? "internal: nextKey() outside an object" : "internal: nextElement() outside an array");
    Level &level = m_stack.back();
    c = skipSpaceAndPeek();
    if (c == (object ? '}' : ']')) {
        ++m_pos;
        m_stack.pop_back();
        return Member::End;
    }
    if (level.first) {
        level.first = false;
        return Member::First;
    }
    if (c != ',')
        fail(object ? "expected ',' or '}' in an object, found " + describe(c)
                    : "expected ',' or ']' in an array, found " + describe(c));
    ++m_pos;
    c = skipSpaceAndPeek();
    return Member::AfterComma;
}

bool JsonPullParser::nextKey(std::string &key)
{
    int c = 0;
    const Member member = nextMember(true, c);
    if (member == Member::End)
        return false;
    if (c != '"')
        fail(member == Member::AfterComma ? "expected a key string after ',', found " + describe(c)
                                          : "expected a key string or '}', found " + describe(c));
    readString(key);
    expectByte(':', "':' after a key");
    return true;
}

bool JsonPullParser::nextElement()
{
    int c = 0;
    if (nextMember(false, c) == Member::End)
        return false;
    if (c == ']')
        fail("trailing ',' before ']'");
    return true;
}

std::uint32_t JsonPullParser::readHex4()
{
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
        const int c = nextByte();
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= static_cast<std::uint32_t>(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= static_cast<std::uint32_t>(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= static_cast<std::uint32_t>(c - 'A' + 10);
        else
            fail("bad \\u escape: expected a hex digit, found " + describe(c));
    }
    return v;
}

std::string JsonPullParser::readString()
{
    std::string s;
    readString(s);
    return s;
}

// Raw bytes are copied as they are; importers check captions for valid UTF-8 themselves so a
// bad caption is skipped with a reason instead of failing the whole file.
void JsonPullParser::readString(std::string &out)
{
    out.clear();
    expectByte('"', "a string");
    readStringBody(&out);
}

void JsonPullParser::skipString()
{
    expectByte('"', "a string");
    readStringBody(nullptr);
}

// The characters after the opening quote, through the closing one: decoded into `out`, or only
// validated when `out` is null (skipString()).
void JsonPullParser::readStringBody(std::string *out)
{
    for (;;) {
        const char *p = m_pos;
        while (p < m_end) {
            const unsigned char c = static_cast<unsigned char>(*p);
            if (c == '"' || c == '\\' || c < 0x20)
                break;
            ++p;
        }
        if (out)
            out->append(m_pos, p);
        m_pos = p;
        if (p == m_end) {
            if (!refill())
                fail("unterminated string");
            continue;
        }
        const int c = static_cast<unsigned char>(*m_pos++);
        if (c == '"')
            return;
        if (c < 0x20)
            fail("control character " + describe(c) + " inside a string (must be escaped)");
        readEscape(out);
    }
}

// One escape after its backslash, appended to `out` unless it is null.
void JsonPullParser::readEscape(std::string *out)
{
    const int e = nextByte();
    char plain = 0;
    switch (e) {
    case '"':
    case '\\':
    case '/':
        plain = static_cast<char>(e);
        break;
    case 'b':
        plain = '\b';
        break;
    case 'f':
        plain = '\f';
        break;
    case 'n':
        plain = '\n';
        break;
    case 'r':
        plain = '\r';
        break;
    case 't':
        plain = '\t';
        break;
    case 'u': {
        const std::uint32_t cp = readUnicodeEscape();
        if (out)
            clip::utf8::append(*out, static_cast<char32_t>(cp));
        return;
    }
    default:
        fail("bad escape \\" + (e < 0 ? std::string("<end of file>") : describe(e)));
    }
    if (out)
        out->push_back(plain);
}

// The code point of a \u escape (its "\u" read), joining a UTF-16 surrogate pair.
std::uint32_t JsonPullParser::readUnicodeEscape()
{
    const std::uint32_t cp = readHex4();
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (nextByte() != '\\' || nextByte() != 'u')
            fail("lone UTF-16 high surrogate in \\u escape");
        const std::uint32_t lo = readHex4();
        if (lo < 0xDC00 || lo > 0xDFFF)
            fail("bad UTF-16 low surrogate in \\u escape");
        return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        fail("lone UTF-16 low surrogate in \\u escape");
    return cp;
}

// Collects one number's text and checks it against JSON's grammar:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
void JsonPullParser::readNumberText(std::string &out)
{
    out.clear();
    skipSpaceAndPeek();
    auto digits = [&](const char *what) {
        int c = peekByte();
        if (c < '0' || c > '9')
            fail(std::string("expected a digit ") + what + ", found " + describe(c));
        while (c >= '0' && c <= '9') {
            out.push_back(static_cast<char>(c));
            ++m_pos;
            c = peekByte();
        }
    };
    int c = peekByte();
    if (c == '-') {
        out.push_back('-');
        ++m_pos;
        c = peekByte();
    }
    if (c == '0') {
        out.push_back('0');
        ++m_pos;
        c = peekByte();
        if (c >= '0' && c <= '9')
            fail("numbers must not have leading zeros");
    } else {
        digits("in a number");
        c = peekByte();
    }
    if (c == '.') {
        out.push_back('.');
        ++m_pos;
        digits("after '.'");
        c = peekByte();
    }
    if (c == 'e' || c == 'E') {
        out.push_back('e');
        ++m_pos;
        c = peekByte();
        if (c == '+' || c == '-') {
            out.push_back(static_cast<char>(c));
            ++m_pos;
        }
        digits("in the exponent");
    }
}

// skipValue()'s path for numbers, which dominate COCO's instances files (polygons): checks the
// grammar in place in the buffer without copying. Anything unusual (an error, a number running
// into the end of the buffer) goes through readNumberText(), which gives the exact message.
void JsonPullParser::skipNumber()
{
    const char *p = m_pos;
    const char *end = m_end;
    auto digit = [&](const char *q) { return q < end && *q >= '0' && *q <= '9'; };
    if (p < end && *p == '-')
        ++p;
    if (p < end && *p == '0') {
        ++p;
        if (digit(p))
            return readNumberText(m_number);
    } else if (digit(p)) {
        while (digit(p))
            ++p;
    } else {
        return readNumberText(m_number);
    }
    if (p < end && *p == '.') {
        ++p;
        if (!digit(p))
            return readNumberText(m_number);
        while (digit(p))
            ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        ++p;
        if (p < end && (*p == '+' || *p == '-'))
            ++p;
        if (!digit(p))
            return readNumberText(m_number);
        while (digit(p))
            ++p;
    }
    if (p >= end)
        return readNumberText(m_number); // may continue in the next buffer
    m_pos = p;
}

double JsonPullParser::readDouble()
{
    if (peek() != Type::Number)
        fail("expected a number, found " + describe(peekByte()));
    readNumberText(m_number);
    double v = 0;
    const auto r = std::from_chars(m_number.data(), m_number.data() + m_number.size(), v);
    if (r.ec != std::errc())
        fail("number " + m_number + " is out of range");
    return v;
}

// Whether the number just read (m_number) is a whole integer in range, parsed into `out`.
bool JsonPullParser::numberIsInteger(long long &out) const
{
    const auto r = std::from_chars(m_number.data(), m_number.data() + m_number.size(), out);
    return r.ec == std::errc() && r.ptr == m_number.data() + m_number.size();
}

long long JsonPullParser::readInteger()
{
    if (peek() != Type::Number)
        fail("expected an integer, found " + describe(peekByte()));
    readNumberText(m_number);
    long long v = 0;
    if (!numberIsInteger(v))
        fail("expected an integer, found " + m_number);
    return v;
}

bool JsonPullParser::tryReadInteger(long long &out)
{
    if (peek() != Type::Number) {
        skipValue();
        return false;
    }
    readNumberText(m_number);
    return numberIsInteger(out);
}

bool JsonPullParser::tryReadString(std::string &out)
{
    if (peek() != Type::String) {
        skipValue();
        return false;
    }
    readString(out);
    return true;
}

void JsonPullParser::expectLiteral(const char *rest)
{
    for (const char *r = rest; *r; ++r) {
        const int c = nextByte();
        if (c != static_cast<unsigned char>(*r))
            fail(std::string("invalid literal (expected true, false or null), found ") + describe(c));
    }
}

bool JsonPullParser::readBool()
{
    const int c = skipSpaceAndPeek();
    if (c == 't') {
        expectLiteral("true");
        return true;
    }
    if (c == 'f') {
        expectLiteral("false");
        return false;
    }
    fail("expected true or false, found " + describe(c));
}

void JsonPullParser::readNull()
{
    if (skipSpaceAndPeek() != 'n')
        fail("expected null, found " + describe(peekByte()));
    expectLiteral("null");
}

void JsonPullParser::skipValue()
{
    switch (peek()) {
    case Type::Object: {
        beginObject();
        std::string key;
        while (nextKey(key))
            skipValue();
        break;
    }
    case Type::Array:
        beginArray();
        while (nextElement())
            skipValue();
        break;
    case Type::String:
        skipString();
        break;
    case Type::Number:
        skipNumber();
        break;
    case Type::Bool:
        readBool();
        break;
    case Type::Null:
        readNull();
        break;
    }
}

nlohmann::json JsonPullParser::readValue()
{
    switch (peek()) {
    case Type::Object: {
        nlohmann::json obj = nlohmann::json::object();
        beginObject();
        std::string key;
        while (nextKey(key))
            obj[key] = readValue();
        return obj;
    }
    case Type::Array: {
        nlohmann::json arr = nlohmann::json::array();
        beginArray();
        while (nextElement())
            arr.push_back(readValue());
        return arr;
    }
    case Type::String:
        return readString();
    case Type::Number: {
        readNumberText(m_number);
        long long i = 0;
        if (numberIsInteger(i))
            return i;
        double d = 0;
        std::from_chars(m_number.data(), m_number.data() + m_number.size(), d);
        return d;
    }
    case Type::Bool:
        return readBool();
    case Type::Null:
        readNull();
        return nullptr;
    }
    return nullptr;
}

void JsonPullParser::expectEnd()
{
    const int c = skipSpaceAndPeek();
    if (c >= 0)
        fail("unexpected " + describe(c) + " after the end of the JSON document");
}

} // namespace poisonlab::data
