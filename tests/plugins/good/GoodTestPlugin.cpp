#include "poisonlab/core/plugin/Plugin.h"

namespace {

class GoodTestPlugin : public poisonlab::plugin::Plugin {
};

} // namespace

POISONLAB_DEFINE_PLUGIN(GoodTestPlugin)
