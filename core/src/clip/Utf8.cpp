#include "clip/Utf8.h"

namespace poisonlab::clip::utf8 {

namespace {
constexpr char32_t kReplacement = 0xFFFD;
}

std::u32string decode(std::string_view bytes)
{
    std::u32string out;
    out.reserve(bytes.size());
    const auto *s = reinterpret_cast<const unsigned char *>(bytes.data());
    const size_t n = bytes.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char b = s[i];
        if (b < 0x80) {
            out.push_back(b);
            ++i;
            continue;
        }
        // Lead byte: sequence length and the allowed range of the second byte (Unicode table 3-7).
        int length = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        char32_t cp = 0;
        if (b >= 0xC2 && b <= 0xDF) {
            length = 2;
            cp = b & 0x1F;
        } else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            cp = b & 0x0F;
            if (b == 0xE0)
                lo = 0xA0;
            else if (b == 0xED)
                hi = 0x9F; // no surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            cp = b & 0x07;
            if (b == 0xF0)
                lo = 0x90;
            else if (b == 0xF4)
                hi = 0x8F;
        } else {
            out.push_back(kReplacement);
            ++i;
            continue;
        }
        size_t j = i + 1;
        bool ok = true;
        for (int k = 1; k < length; ++k, ++j) {
            const unsigned char c = j < n ? s[j] : 0;
            const unsigned char low = k == 1 ? lo : 0x80, high = k == 1 ? hi : 0xBF;
            if (j >= n || c < low || c > high) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (c & 0x3F);
        }
        // A broken sequence is replaced as one unit: the lead and its valid continuation bytes.
        out.push_back(ok ? cp : kReplacement);
        i = j;
    }
    return out;
}

void append(std::string &out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string encode(std::u32string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (char32_t cp : text)
        append(out, cp);
    return out;
}

bool isValid(std::string_view bytes)
{
    // Fast path for ASCII; otherwise a decode that meets no replacement character it did not read.
    std::size_t i = 0;
    while (i < bytes.size() && static_cast<unsigned char>(bytes[i]) < 0x80)
        ++i;
    if (i == bytes.size())
        return true;
    const std::u32string decoded = decode(bytes.substr(i));
    std::size_t replacements = 0;
    for (char32_t c : decoded)
        replacements += c == kReplacement;
    if (replacements == 0)
        return true;
    // U+FFFD itself is valid text (EF BF BD); count how many the input spelled out.
    std::size_t spelled = 0;
    for (std::size_t k = bytes.find("\xEF\xBF\xBD", i); k != std::string_view::npos;
         k = bytes.find("\xEF\xBF\xBD", k + 3))
        ++spelled;
    return spelled == replacements;
}

} // namespace poisonlab::clip::utf8
