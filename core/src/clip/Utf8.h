#pragma once

#include <string>
#include <string_view>

namespace poisonlab::clip::utf8 {

/// Decodes UTF-8 like Python's bytes.decode("utf-8", errors="replace"): each maximal invalid
/// subpart becomes one U+FFFD; surrogates and code points past U+10FFFF are invalid.
std::u32string decode(std::string_view bytes);

/// Appends the UTF-8 form of `cp`.
void append(std::string &out, char32_t cp);

std::string encode(std::u32string_view text);

/// True when `bytes` is well-formed UTF-8.
bool isValid(std::string_view bytes);

} // namespace poisonlab::clip::utf8
