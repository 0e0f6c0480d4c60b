#include "clip/ClipTextCleaner.h"

#include "clip/HtmlEntities.h"
#include "clip/UnicodeTables.h"
#include "clip/Utf8.h"

namespace poisonlab::clip {

namespace {

// str.strip(): Python's notion of white space at both ends.
std::u32string_view pythonStrip(std::u32string_view s)
{
    std::size_t b = 0, e = s.size();
    while (b < e && unicode::isPythonSpace(s[b]))
        ++b;
    while (e > b && unicode::isPythonSpace(s[e - 1]))
        --e;
    return s.substr(b, e - b);
}

// re.sub(r'\s+', ' ', text) with the regex module's \s.
std::u32string collapseWhiteSpace(std::u32string_view s)
{
    std::u32string out;
    out.reserve(s.size());
    bool inSpace = false;
    for (char32_t c : s) {
        if (unicode::isWhiteSpace(c)) {
            if (!inSpace)
                out.push_back(U' ');
            inSpace = true;
        } else {
            out.push_back(c);
            inSpace = false;
        }
    }
    return out;
}

// Case-insensitive match of an ASCII literal as the regex module does it: simple case folding,
// under which 's' also matches U+017F (long s).
bool foldEquals(char32_t c, char lit)
{
    if (c == static_cast<unsigned char>(lit))
        return true;
    if (lit >= 'a' && lit <= 'z')
        return c == static_cast<char32_t>(lit - 32) || (lit == 's' && c == 0x17F);
    return false;
}

std::size_t matchLiteral(std::u32string_view text, std::size_t i, std::string_view literal)
{
    if (text.size() - i < literal.size())
        return 0;
    for (std::size_t k = 0; k < literal.size(); ++k) {
        if (!foldEquals(text[i + k], literal[k]))
            return 0;
    }
    return literal.size();
}

} // namespace

std::u32string cleanClipText(std::string_view utf8Text)
{
    std::u32string text = utf8::decode(utf8Text);
    // basic_clean: html.unescape(html.unescape(text)).strip()
    text = html::unescape(html::unescape(text));
    text = std::u32string(pythonStrip(text));
    // whitespace_clean: re.sub(r'\s+', ' ', text).strip()
    text = collapseWhiteSpace(text);
    text = std::u32string(pythonStrip(text));
    return unicode::lower(text);
}

void splitClipWords(std::u32string_view text, std::vector<std::u32string_view> &words)
{
    using unicode::CharClass;
    static constexpr std::string_view kAlternatives[] = {
        "<|startoftext|>", "<|endoftext|>", "'s", "'t", "'re", "'ve", "'m", "'ll", "'d"};
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        const char32_t c = text[i];
        std::size_t length = 0;
        if (c == '<' || c == '\'') {
            for (std::string_view alternative : kAlternatives) {
                if ((length = matchLiteral(text, i, alternative)) != 0)
                    break;
            }
        }
        if (length == 0) {
            const CharClass cls = unicode::charClass(c);
            if (cls == CharClass::Unmatched) {
                ++i;
                continue;
            }
            length = 1;
            if (cls != CharClass::Number) { // [\p{N}] takes one character, the others a run
                while (i + length < n && unicode::charClass(text[i + length]) == cls)
                    ++length;
            }
        }
        words.push_back(text.substr(i, length));
        i += length;
    }
}

} // namespace poisonlab::clip
