#pragma once

#include <opencv2/core.hpp>

#include <filesystem>
#include <memory>

namespace poisonlab::demo {

/// A colour emoji font read with FreeType (Noto Color Emoji: CBDT bitmaps, one 109 px strike).
/// Each glyph is decoded once and cached as a premultiplied BGRA image cropped to its ink.
/// Thread-safe.
class EmojiFont {
public:
    /// $POISONLAB_EMOJI_FONT when set, else the first Noto Color Emoji found in the usual Debian,
    /// Fedora and Arch folders; empty when none is installed.
    static std::filesystem::path defaultPath();

    /// Opens `path` (defaultPath() when empty). Throws poisonlab::Error naming the file when it
    /// is missing or is not a colour bitmap font.
    explicit EmojiFont(std::filesystem::path path = {});
    ~EmojiFont();
    EmojiFont(const EmojiFont &) = delete;
    EmojiFont &operator=(const EmojiFont &) = delete;

    const std::filesystem::path &path() const;
    bool hasGlyph(char32_t codepoint) const;
    /// The premultiplied CV_8UC4 (B, G, R, A) glyph, cropped to pixels with alpha > 0.
    /// Throws poisonlab::Error when the font has no such glyph.
    const cv::Mat &glyph(char32_t codepoint) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

} // namespace poisonlab::demo
