#pragma once

#include "poisonlab/core/demo/EmojiClass.h"

#include <string>
#include <vector>

namespace poisonlab::demo {

class EmojiFont;

/// The class maps of the demo datasets. The lists name every single-code-point emoji variant
/// Unicode offers for a class; availableIn() drops the ones a given font lacks.
class EmojiCatalog {
public:
    /// The 20 PASCAL VOC classes in their usual order (aeroplane ... tvmonitor).
    static const std::vector<EmojiClass> &pascal();
    /// The COCO categories that have an emoji, with COCO's own ids, names and supercategories.
    static const std::vector<EmojiClass> &coco();

    /// `classes` without the variants `font` has no glyph for (logged once per variant) and
    /// without classes left with none.
    static std::vector<EmojiClass> availableIn(const std::vector<EmojiClass> &classes, const EmojiFont &font);

    /// "U+1F40F"
    static std::string codepointLabel(char32_t codepoint);
};

} // namespace poisonlab::demo
