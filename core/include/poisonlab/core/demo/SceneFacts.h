#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace poisonlab::demo {

/// What was painted behind the objects, and the words captions may use for it.
struct BackgroundFacts {
    std::string kind;                  ///< "flat", "gradient", "texture" or "scene"
    std::string name;                  ///< "blue", "blue to white gradient", "grass"...
    std::vector<std::string> colours;  ///< palette names used (flat: one; gradient: top/left first)
    std::string direction;             ///< gradients: "vertical" (top to bottom) or "horizontal"
    std::vector<std::string> settings; ///< prepositional phrases: "on a blue background", "on the grass"
    std::vector<std::string> nouns;    ///< noun phrases: "a blue background", "a grassy field"
};

/// One drawn object. Boxes are the tight box of the object's visible-or-hidden ink, in pixels.
struct ObjectFacts {
    int classIndex = -1; ///< into the class list the scene was drawn from
    std::string className;
    std::string variant; ///< the emoji's short name ("ram")
    char32_t codepoint = 0;
    int x = 0, y = 0, w = 0, h = 0;
    std::string position;    ///< cell of the box centre: "top left", "top", "centre", "bottom right"...
    std::string size;        ///< "small", "medium" or "large" (nominal glyph size)
    int rotation = 0;        ///< degrees, counter-clockwise
    bool flipped = false;    ///< mirrored left-right
    bool distractor = false; ///< PASCAL/Web: an object of another class than the image's label
    int occludedBy = -1;     ///< index of the object drawn over part of this one, or -1
};

/// Everything drawn in one image; captions state only facts from here.
struct SceneFacts {
    int width = 0, height = 0;
    BackgroundFacts background;
    std::vector<ObjectFacts> objects;
    int label = -1; ///< the image's class (PASCAL/Web); COCO: the primary category
    bool blurred = false;

    /// Instances of `classIndex` drawn in the scene.
    int countOf(int classIndex) const;
    /// Class indices in order of first appearance.
    std::vector<int> classesInOrder() const;
};

nlohmann::json toJson(const BackgroundFacts &facts);
nlohmann::json toJson(const ObjectFacts &facts);
nlohmann::json toJson(const SceneFacts &facts);

} // namespace poisonlab::demo
