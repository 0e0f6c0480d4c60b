#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace poisonlab::clip {

/// simple_tokenizer.py's text path before BPE: whitespace_clean(basic_clean(text)).lower()
/// (basic_clean without ftfy: html.unescape twice, then strip).
std::u32string cleanClipText(std::string_view utf8);

/// re.findall of CLIP's pattern over cleaned text:
///   <\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
/// (re.IGNORECASE): `words` receives the matches in order (views into `text`).
void splitClipWords(std::u32string_view text, std::vector<std::u32string_view> &words);

} // namespace poisonlab::clip
