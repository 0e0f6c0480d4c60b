#pragma once

#include <string>
#include <vector>

namespace poisonlab::demo {

/// One emoji that can stand for a class, e.g. U+1F40F "ram" for the class sheep.
struct EmojiVariant {
    char32_t codepoint = 0;
    std::string name; ///< the Unicode short name, lower case ("ram", "sailboat")
};

/// A class of the demo datasets and every single-code-point emoji Unicode offers for it.
struct EmojiClass {
    std::string name;          ///< the dataset's own class name ("tvmonitor", "dining table")
    std::string singular;      ///< the noun captions use for one ("tv monitor", "pair of skis")
    std::string plural;        ///< ... for several ("tv monitors", "pairs of skis")
    int cocoId = 0;            ///< COCO category id (0 for PASCAL-only lists)
    std::string supercategory; ///< COCO supercategory ("animal", "vehicle"...)
    std::vector<EmojiVariant> variants;
    std::vector<std::string> habitats; ///< scenes it is usually seen in (ClassHabitats), may be empty
};

} // namespace poisonlab::demo
