// Python's html.unescape(), statement for statement (Lib/html/__init__.py).
#include "clip/HtmlEntities.h"
#include "clip/Utf8.h"

#include <algorithm>
#include <cstring>

namespace poisonlab::clip::html {

namespace {

constexpr std::size_t kMaxNameLength = 32; // [^\t\n\f <&#;]{1,32}

bool isNameChar(char32_t c)
{
    return c != '\t' && c != '\n' && c != '\f' && c != ' ' && c != '<' && c != '&' && c != '#' && c != ';';
}

bool isDigit(char32_t c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char32_t c)
{
    if (c >= '0' && c <= '9')
        return static_cast<int>(c - '0');
    if (c >= 'a' && c <= 'f')
        return static_cast<int>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return static_cast<int>(c - 'A' + 10);
    return -1;
}

const char *findEntity(const std::string &name)
{
    const NamedEntity *end = kNamedEntities + kNamedEntitiesSize;
    const NamedEntity *it = std::lower_bound(kNamedEntities, end, name, [](const NamedEntity &e, const std::string &n) {
        return std::strcmp(e.name, n.c_str()) < 0;
    });
    if (it != end && name == it->name)
        return it->value;
    return nullptr;
}

void appendUtf8(std::u32string &out, const char *utf8)
{
    out += utf8::decode(utf8);
}

// The replacement of a numeric reference whose value is `num` (saturated above U+10FFFF).
void appendNumeric(std::u32string &out, uint64_t num)
{
    for (std::size_t i = 0; i < kInvalidCharRefsSize; ++i) {
        if (kInvalidCharRefs[i].codePoint == num) {
            out.push_back(kInvalidCharRefs[i].replacement);
            return;
        }
    }
    if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
        out.push_back(0xFFFD);
        return;
    }
    for (std::size_t i = 0; i < kInvalidCodePointRangesSize; ++i) {
        if (num >= kInvalidCodePointRanges[i].first && num <= kInvalidCodePointRanges[i].last)
            return; // dropped
    }
    out.push_back(static_cast<char32_t>(num));
}

// Tries the numeric alternatives at text[i] == '#'; returns the end of the match or npos.
std::size_t matchNumeric(std::u32string_view text, std::size_t i, std::u32string &out)
{
    std::size_t j = i + 1;
    const bool hex = j < text.size() && (text[j] == 'x' || text[j] == 'X');
    if (hex)
        ++j;
    const std::size_t digitsStart = j;
    uint64_t num = 0;
    while (j < text.size() && (hex ? hexValue(text[j]) >= 0 : isDigit(text[j]))) {
        num = num * (hex ? 16 : 10) + static_cast<uint64_t>(hex ? hexValue(text[j]) : text[j] - '0');
        num = std::min<uint64_t>(num, 0x110000); // anything larger behaves the same
        ++j;
    }
    if (j == digitsStart)
        return std::u32string_view::npos;
    if (j < text.size() && text[j] == ';')
        ++j;
    appendNumeric(out, num);
    return j;
}

} // namespace

std::u32string unescape(std::u32string_view text)
{
    if (text.find(U'&') == std::u32string_view::npos)
        return std::u32string(text);
    std::u32string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        if (text[i] != '&') {
            out.push_back(text[i++]);
            continue;
        }
        const std::size_t start = i + 1;
        if (start < text.size() && text[start] == '#') {
            const std::size_t end = matchNumeric(text, start, out);
            if (end != std::u32string_view::npos) {
                i = end;
                continue;
            }
            out.push_back(text[i++]); // "&#" not followed by digits: literal
            continue;
        }
        std::size_t j = start;
        while (j < text.size() && j - start < kMaxNameLength && isNameChar(text[j]))
            ++j;
        if (j == start) {
            out.push_back(text[i++]);
            continue;
        }
        if (j < text.size() && text[j] == ';')
            ++j;
        const std::u32string_view s = text.substr(start, j - start);
        const std::string name = utf8::encode(s);
        if (const char *value = findEntity(name)) {
            appendUtf8(out, value);
        } else {
            // The longest known prefix (at least 2 characters), then the rest as it was.
            bool replaced = false;
            for (std::size_t x = s.size() - 1; x > 1; --x) {
                if (const char *v = findEntity(utf8::encode(s.substr(0, x)))) {
                    appendUtf8(out, v);
                    out.append(s.substr(x));
                    replaced = true;
                    break;
                }
            }
            if (!replaced) {
                out.push_back('&');
                out.append(s);
            }
        }
        i = j;
    }
    return out;
}

} // namespace poisonlab::clip::html
