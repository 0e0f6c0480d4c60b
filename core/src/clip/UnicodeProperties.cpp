// Look-ups over the generated tables in UnicodeTables.cpp.
#include "clip/UnicodeTables.h"

#include <algorithm>
#include <array>

namespace poisonlab::clip::unicode {

namespace {

bool inRanges(const CodePointRange *ranges, std::size_t size, char32_t cp)
{
    const CodePointRange *end = ranges + size;
    const CodePointRange *it =
        std::upper_bound(ranges, end, cp, [](char32_t c, const CodePointRange &r) { return c < r.first; });
    return it != ranges && cp <= (it - 1)->last;
}

std::array<CharClass, 128> makeAsciiClasses()
{
    std::array<CharClass, 128> classes{};
    for (char32_t c = 0; c < 128; ++c) {
        if (inRanges(kLetterRanges, kLetterRangesSize, c))
            classes[c] = CharClass::Letter;
        else if (inRanges(kNumberRanges, kNumberRangesSize, c))
            classes[c] = CharClass::Number;
        else if (inRanges(kUnmatchedRanges, kUnmatchedRangesSize, c))
            classes[c] = CharClass::Unmatched;
        else
            classes[c] = CharClass::Other;
    }
    return classes;
}

bool isCaseIgnorable(char32_t cp)
{
    return inRanges(kCaseIgnorableRanges, kCaseIgnorableRangesSize, cp);
}

bool isCased(char32_t cp)
{
    return inRanges(kCasedRanges, kCasedRangesSize, cp);
}

char32_t simpleLower(char32_t cp)
{
    const LowerRun *end = kLowerRuns + kLowerRunsSize;
    const LowerRun *it =
        std::upper_bound(kLowerRuns, end, cp, [](char32_t c, const LowerRun &r) { return c < r.first; });
    if (it == kLowerRuns)
        return cp;
    --it;
    if (cp > it->last || (cp - it->first) % it->stride != 0)
        return cp;
    return static_cast<char32_t>(static_cast<int64_t>(cp) + it->delta);
}

// Python's handle_capital_sigma(): U+03A3 lower-cases to final sigma when a cased letter comes
// before it and none after it, skipping case-ignorable characters on both sides.
bool isFinalSigma(std::u32string_view text, std::size_t i)
{
    std::size_t j = i;
    char32_t c = 0;
    bool found = false;
    while (j > 0) {
        c = text[--j];
        if (!isCaseIgnorable(c)) {
            found = true;
            break;
        }
    }
    if (!found || !isCased(c))
        return false;
    for (j = i + 1; j < text.size(); ++j) {
        c = text[j];
        if (!isCaseIgnorable(c))
            return !isCased(c);
    }
    return true;
}

} // namespace

CharClass charClass(char32_t cp)
{
    static const std::array<CharClass, 128> ascii = makeAsciiClasses();
    if (cp < 128)
        return ascii[cp];
    if (inRanges(kLetterRanges, kLetterRangesSize, cp))
        return CharClass::Letter;
    if (inRanges(kNumberRanges, kNumberRangesSize, cp))
        return CharClass::Number;
    if (inRanges(kUnmatchedRanges, kUnmatchedRangesSize, cp))
        return CharClass::Unmatched;
    return CharClass::Other;
}

bool isWhiteSpace(char32_t cp)
{
    if (cp < 128)
        return cp == ' ' || (cp >= 0x09 && cp <= 0x0D);
    return inRanges(kWhiteSpaceRanges, kWhiteSpaceRangesSize, cp);
}

bool isPythonSpace(char32_t cp)
{
    return (cp >= 0x1C && cp <= 0x1F) || isWhiteSpace(cp);
}

std::u32string lower(std::u32string_view text)
{
    std::u32string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char32_t cp = text[i];
        if (cp < 128) {
            out.push_back(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
        } else if (cp == 0x130) { // the one multi-character mapping: 'İ' -> 'i' + combining dot above
            out.push_back(U'i');
            out.push_back(0x307);
        } else if (cp == 0x3A3) {
            out.push_back(isFinalSigma(text, i) ? 0x3C2 : 0x3C3);
        } else {
            out.push_back(simpleLower(cp));
        }
    }
    return out;
}

} // namespace poisonlab::clip::unicode
