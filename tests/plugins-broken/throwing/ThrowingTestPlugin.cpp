// A plugin whose factory throws (as one does whose constructor needs a device or a file it cannot
// find): the registry must report it as broken by id and reason and keep every other plugin.
#include "poisonlab/core/plugin/Plugin.h"

#include <stdexcept>

namespace {

class ThrowingTestPlugin : public poisonlab::plugin::Plugin {
public:
    ThrowingTestPlugin() { throw std::runtime_error("cannot start: its model file is missing"); }
};

} // namespace

POISONLAB_DEFINE_PLUGIN(ThrowingTestPlugin)
