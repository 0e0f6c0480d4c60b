#pragma once

#include "poisonlab/core/demo/EmojiClass.h"
#include "poisonlab/core/demo/SceneFacts.h"

#include <opencv2/core.hpp>

#include <vector>

namespace poisonlab {
class Rng;
}

namespace poisonlab::demo {

class EmojiFont;

/// Knobs of the scene generator. Sizes are fractions of the shorter image side.
struct SceneOptions {
    int width = 128;
    int height = 128;
    double distractorChance = 0.45; ///< single-class scenes: chance of 1-2 objects of other classes
    double occlusionChance = 0.2;   ///< chance that one object is drawn over part of another
    double rotationChance = 0.5;    ///< chance of a rotation of up to +-maxRotation degrees
    int maxRotation = 25;
    double flipChance = 0.5;
    double blurChance = 0.15;
    /// chance that the background is one of the label's habitats (sheep on grass) rather than
    /// any background; real photos tie context to class, see ClassHabitats.h
    double habitatChance = 0.7;
};

/// A composed image and the facts of what it shows.
struct Scene {
    cv::Mat image; ///< CV_8UC3, BGR
    SceneFacts facts;
};

/// One class to draw `count` times. Distractors are objects of other classes than the label.
struct SceneSubject {
    int classIndex = -1;
    int count = 1;
    bool distractor = false;
};

/// Draws emoji scenes: a background (often one of the label's habitats), then each object
/// scaled, flipped, rotated, colour jittered and placed (a single object into a chosen cell of a
/// 3x3 grid so that its position is a clear fact; several objects apart from each other),
/// optionally one object overlapping another, optionally blurred. All randomness comes from the
/// Rng passed in.
class SceneComposer {
public:
    SceneComposer(const EmojiFont &font, std::vector<EmojiClass> classes, SceneOptions options = {});

    const std::vector<EmojiClass> &classes() const { return m_classes; }
    const SceneOptions &options() const { return m_options; }

    /// PASCAL / Web scene: 1-4 instances of `label`, sometimes 1-2 distractors of other classes.
    Scene composeSingleClass(int label, Rng &rng) const;
    /// COCO scene: `primary` (1-3 instances) and up to two other categories (1-2 instances each).
    Scene composeMultiClass(int primary, Rng &rng) const;
    /// The general form: every subject drawn `count` times; facts.label = `label`.
    Scene compose(const std::vector<SceneSubject> &subjects, int label, Rng &rng) const;

    /// "top left", "top", "top right", "left", "centre", ... for a point in a width x height image.
    static std::string positionName(double cx, double cy, int width, int height);

private:
    const EmojiFont &m_font;
    std::vector<EmojiClass> m_classes;
    SceneOptions m_options;
};

} // namespace poisonlab::demo
