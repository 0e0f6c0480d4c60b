#pragma once

// Python's html.unescape(), with the tables of html.entities (generated into HtmlEntities.cpp).

#include "clip/UnicodeTables.h"

#include <string>
#include <string_view>

namespace poisonlab::clip::html {

struct NamedEntity {
    const char *name;  ///< e.g. "amp;" or "amp" (the legacy forms without ';' are listed too)
    const char *value; ///< UTF-8
};

struct CharRefReplacement {
    char32_t codePoint;
    char32_t replacement;
};

extern const NamedEntity kNamedEntities[];
extern const std::size_t kNamedEntitiesSize;
extern const CharRefReplacement kInvalidCharRefs[];
extern const std::size_t kInvalidCharRefsSize;
extern const unicode::CodePointRange kInvalidCodePointRanges[];
extern const std::size_t kInvalidCodePointRangesSize;

/// html.unescape(text): named references (longest known prefix, as the HTML5 standard says)
/// and decimal/hexadecimal numeric references.
std::u32string unescape(std::u32string_view text);

} // namespace poisonlab::clip::html
