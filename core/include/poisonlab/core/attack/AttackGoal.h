#pragma once

#include <string>

namespace poisonlab::attack {

/// One poisoning goal: captions of class `source` (A) should retrieve images of class `target` (B).
struct AttackGoal {
    std::string source;
    std::string target;
    int sourceClass = -1; ///< index into Dataset::classes, filled by validation
    int targetClass = -1;
};

} // namespace poisonlab::attack
