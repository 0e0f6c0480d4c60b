#include "poisonlab/core/attack/AttackPlugin.h"

namespace poisonlab::attack {

AttackPlugin::~AttackPlugin() = default;

} // namespace poisonlab::attack
