#pragma once

#include "poisonlab/core/demo/EmojiClass.h"
#include "poisonlab/core/demo/SceneFacts.h"

#include <string>
#include <vector>

namespace poisonlab {
class Rng;
}

namespace poisonlab::demo {

/// Writes captions that state facts of one scene: the objects with their counts ("two sheep"),
/// size ("a large dog"), position ("in the top left corner"), the background ("on a blue
/// background", "on the grass"), the other objects, occlusion, relative placement and blur.
/// Each caption comes from a different template, so the captions of an image differ. Every
/// count is written as a count word (a/an/one/two/...) right before the optional size word and
/// the class noun, which is what the tests parse.
class CaptionGrammar {
public:
    explicit CaptionGrammar(std::vector<EmojiClass> classes);

    /// Up to `n` different captions for `facts` (always `n` for n <= 5).
    std::vector<std::string> captions(const SceneFacts &facts, Rng &rng, int n = 5) const;

    /// "a" or "an" for the word that follows.
    static std::string article(const std::string &nextWord);
    /// "one" ... "ten"; digits beyond.
    static std::string countWord(int count);

private:
    std::vector<EmojiClass> m_classes;
};

} // namespace poisonlab::demo
