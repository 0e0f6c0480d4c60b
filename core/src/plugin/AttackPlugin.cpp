#include "poisonlab/core/plugin/AttackPlugin.h"

namespace poisonlab::attack {

AttackPlugin::~AttackPlugin() = default;

} // namespace poisonlab::attack
