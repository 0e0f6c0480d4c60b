#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::data {

/// A streaming, validating JSON reader ("pull parser") for annotation files of any size.
///
/// Why not nlohmann::json::parse: COCO's instances_train2014.json is 330 MB, mostly polygon
/// numbers the importers never need. A DOM costs gigabytes; nlohmann's SAX lexer still converts
/// every number. This reader streams the file through a 1 MiB buffer, lets the importer read the
/// keys it needs and skips the rest (still validated: the grammar is checked everywhere), so
/// memory stays flat and parsing runs at several hundred MB/s. Errors name the file, the line,
/// the column and the byte offset, computed only when an error happens.
class JsonPullParser {
public:
    enum class Type { Object, Array, String, Number, Bool, Null };

    /// Opens `file`; throws poisonlab::Error naming it when it cannot.
    explicit JsonPullParser(const std::filesystem::path &file);
    ~JsonPullParser();
    JsonPullParser(const JsonPullParser &) = delete;
    JsonPullParser &operator=(const JsonPullParser &) = delete;

    /// The type of the next value (whitespace skipped); fails at end of input or on a bad byte.
    Type peek();

    /// Expects '{'. Then loop `while (nextKey(key)) { ...read or skip the value... }`.
    void beginObject();
    /// Reads the next key of the current object and its ':'; false (consuming '}') at the end.
    bool nextKey(std::string &key);

    /// Expects '['. Then loop `while (nextElement()) { ...read or skip the element... }`.
    void beginArray();
    /// True when another element follows (its comma consumed); false (consuming ']') at the end.
    bool nextElement();

    std::string readString();
    void readString(std::string &out);
    double readDouble();
    /// An integer number; fails (naming the place) on fractions, exponents and overflow.
    long long readInteger();
    bool readBool();
    /// Reads the next value whatever its type; returns true with `out` set when it is an integer
    /// number, false otherwise (the value is consumed, so the caller can report a wrong type).
    bool tryReadInteger(long long &out);
    /// Same for a string.
    bool tryReadString(std::string &out);
    void readNull();
    /// Reads a whole (small) value into a DOM, e.g. an "info" block or one record.
    nlohmann::json readValue();
    /// Skips one value of any type, validating it.
    void skipValue();
    /// Checks that only whitespace is left.
    void expectEnd();

    /// Throws poisonlab::Error "<file>: invalid JSON at line L, column C (byte B): <problem>".
    [[noreturn]] void fail(const std::string &problem);
    /// "line L, column C" of the current position (re-reads the file up to it: for messages only).
    std::string location();

    std::uint64_t offset() const { return m_bufferStart + static_cast<std::uint64_t>(m_pos - m_buffer.data()); }
    std::uint64_t fileSize() const { return m_fileSize; }
    const std::filesystem::path &file() const { return m_file; }

private:
    int peekByte()
    {
        if (m_pos < m_end)
            return static_cast<unsigned char>(*m_pos);
        return refill() ? static_cast<unsigned char>(*m_pos) : -1;
    }
    int nextByte()
    {
        const int c = peekByte();
        if (c >= 0)
            ++m_pos;
        return c;
    }
    bool refill();
    int skipSpaceAndPeek();
    void expectByte(char expected, const char *what);
    void expectLiteral(const char *rest);
    /// Where nextKey()/nextElement() stand after stepping over the ',' or the closing bracket.
    enum class Member { End, First, AfterComma };
    Member nextMember(bool object, int &c);
    void openLevel(bool object);
    void readNumberText(std::string &out);
    bool numberIsInteger(long long &out) const;
    void skipNumber();
    void skipString();
    void readStringBody(std::string *out);
    void readEscape(std::string *out);
    std::uint32_t readUnicodeEscape();
    std::uint32_t readHex4();

    struct Level {
        bool object;
        bool first;
    };

    std::filesystem::path m_file;
    int m_fd = -1;
    std::uint64_t m_fileSize = 0;
    std::vector<char> m_buffer;
    const char *m_pos = nullptr;
    const char *m_end = nullptr;
    std::uint64_t m_bufferStart = 0;
    std::vector<Level> m_stack;
    std::string m_number;
};

} // namespace poisonlab::data
