#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace poisonlab::data {

/// Which image format a file's first bytes say it is ("jpeg", "png", "gif", "bmp", "webp",
/// "tiff"), or empty when they match none.
std::string sniffImageFormat(std::string_view head);

/// Cheap check that `file` is a readable, complete image, without decoding it: it exists, is a
/// regular file, is not empty, its magic bytes name an image format, and its end is where that
/// format ends (JPEG end-of-image marker, PNG IEND chunk, GIF trailer, BMP/WebP declared size).
/// Returns the problem in words ("file not found", "empty file", "not an image...",
/// "truncated JPEG..."), or nothing when the file looks fine.
std::optional<std::string> imageFileProblem(const std::filesystem::path &file);

/// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code points > U+10FFFF).
bool isValidUtf8(std::string_view text);

} // namespace poisonlab::data
