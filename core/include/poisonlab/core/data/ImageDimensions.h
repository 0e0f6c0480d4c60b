#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace poisonlab::data {

/// The size an image file's header declares.
struct ImageDimensions {
    std::uint64_t width = 0;
    std::uint64_t height = 0;
};

/// The width and height `file`'s header declares, read without decoding (a few small reads):
/// JPEG's frame header (after any APP segments), PNG's IHDR, GIF's logical screen, BMP's info
/// header, WebP's VP8 / VP8L / VP8X chunk and the first TIFF directory. Nothing when the file is
/// none of these formats or its header is cut short or malformed (a zero size included). The
/// image decoder checks this against its pixel limit before it lets a decoder allocate anything.
std::optional<ImageDimensions> declaredImageDimensions(const std::filesystem::path &file);

} // namespace poisonlab::data
