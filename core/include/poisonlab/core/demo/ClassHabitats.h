#pragma once

#include <string>
#include <vector>

namespace poisonlab::demo {

/// The scenes (BackgroundPainter::sceneNames()) where a class is usually photographed:
/// aeroplanes in the sky, boats at sea, sheep on grass, sofas in a room. Real captioned photos
/// tie context to class this way, and CLIP's image features carry that context; without it the
/// demo's backgrounds are independent of the object and a small CLIP matches them instead of
/// the class (docs/research/demo-pretraining.md). Empty for an unknown class name.
const std::vector<std::string> &habitatsOf(const std::string &className);

} // namespace poisonlab::demo
