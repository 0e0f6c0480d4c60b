#include "poisonlab/core/demo/EmojiFont.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/demo/EmojiCatalog.h"

#include <opencv2/imgproc.hpp>

#include <ft2build.h>
#include FT_FREETYPE_H

#include <cstdlib>
#include <mutex>
#include <unordered_map>

namespace poisonlab::demo {
namespace fs = std::filesystem;

struct EmojiFont::Impl {
    fs::path path;
    FT_Library library = nullptr;
    FT_Face face = nullptr;
    mutable std::mutex mutex; // FreeType faces are not thread-safe, nor is the cache
    mutable std::unordered_map<char32_t, cv::Mat> cache;

    ~Impl()
    {
        if (face)
            FT_Done_Face(face);
        if (library)
            FT_Done_FreeType(library);
    }

    cv::Mat load(char32_t codepoint) const
    {
        const FT_UInt index = FT_Get_Char_Index(face, codepoint);
        if (index == 0)
            throw Error(path, "has no glyph for " + EmojiCatalog::codepointLabel(codepoint));
        if (FT_Load_Glyph(face, index, FT_LOAD_COLOR) != 0 || FT_Render_Glyph(face->glyph, FT_RENDER_MODE_NORMAL) != 0)
            throw Error(path, "cannot render the glyph of " + EmojiCatalog::codepointLabel(codepoint));
        const FT_Bitmap &bm = face->glyph->bitmap;
        if (bm.pixel_mode != FT_PIXEL_MODE_BGRA || bm.width == 0 || bm.rows == 0)
            throw Error(path, "the glyph of " + EmojiCatalog::codepointLabel(codepoint) +
                                  " is not a colour bitmap (is this a colour emoji font?)");
        // FreeType's BGRA bitmaps are premultiplied, which is what compositing and resizing want.
        cv::Mat view(static_cast<int>(bm.rows), static_cast<int>(bm.width), CV_8UC4, bm.buffer,
                     static_cast<size_t>(bm.pitch < 0 ? -bm.pitch : bm.pitch));
        cv::Mat alpha;
        cv::extractChannel(view, alpha, 3);
        const cv::Rect ink = cv::boundingRect(alpha);
        if (ink.empty())
            throw Error(path, "the glyph of " + EmojiCatalog::codepointLabel(codepoint) + " is empty");
        return view(ink).clone();
    }
};

fs::path EmojiFont::defaultPath()
{
    if (const char *env = std::getenv("POISONLAB_EMOJI_FONT"); env && *env)
        return env;
    for (const char *candidate :
         {"/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf", "/usr/share/fonts/google-noto-emoji/NotoColorEmoji.ttf",
          "/usr/share/fonts/noto/NotoColorEmoji.ttf", "/usr/share/fonts/noto-emoji/NotoColorEmoji.ttf",
          "/usr/local/share/fonts/NotoColorEmoji.ttf"}) {
        std::error_code ec;
        if (fs::is_regular_file(candidate, ec))
            return candidate;
    }
    return {};
}

EmojiFont::EmojiFont(fs::path path) : d(std::make_unique<Impl>())
{
    if (path.empty())
        path = defaultPath();
    if (path.empty())
        throw Error("no colour emoji font found: install Noto Color Emoji (Debian: fonts-noto-color-emoji, "
                    "or run scripts/bootstrap.sh) or point POISONLAB_EMOJI_FONT at one");
    d->path = path;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw Error(path, "emoji font not found (Debian: apt install fonts-noto-color-emoji)");
    if (FT_Init_FreeType(&d->library) != 0)
        throw Error("cannot initialise FreeType");
    if (FT_New_Face(d->library, path.c_str(), 0, &d->face) != 0)
        throw Error(path, "not a font FreeType can read");
    if (!FT_HAS_COLOR(d->face) || d->face->num_fixed_sizes < 1)
        throw Error(path, "not a colour bitmap emoji font (expected Noto Color Emoji)");
    // Colour bitmap fonts carry fixed strikes; Noto has one (109 px, glyphs of 136 x 128).
    if (FT_Select_Size(d->face, 0) != 0)
        throw Error(path, "cannot select the font's bitmap strike");
}

EmojiFont::~EmojiFont() = default;

const fs::path &EmojiFont::path() const
{
    return d->path;
}

bool EmojiFont::hasGlyph(char32_t codepoint) const
{
    std::lock_guard lock(d->mutex);
    return FT_Get_Char_Index(d->face, codepoint) != 0;
}

const cv::Mat &EmojiFont::glyph(char32_t codepoint) const
{
    std::lock_guard lock(d->mutex);
    auto it = d->cache.find(codepoint);
    if (it == d->cache.end())
        it = d->cache.emplace(codepoint, d->load(codepoint)).first;
    return it->second; // unordered_map never moves its elements
}

} // namespace poisonlab::demo
