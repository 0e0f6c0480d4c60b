#include "poisonlab/core/plugin/Plugin.h"

#include "poisonlab/core/Error.h"

namespace poisonlab::plugin {

Plugin::~Plugin() = default;

void Plugin::fail(const std::string &message) const
{
    throw Error(m_metadata.id + ": " + message);
}

} // namespace poisonlab::plugin
