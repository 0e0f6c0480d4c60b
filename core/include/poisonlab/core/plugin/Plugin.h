#pragma once

#include "poisonlab/core/plugin/PluginParameter.h"

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace poisonlab::plugin {

/// Bumped whenever a plugin interface in core changes incompatibly; a plugin built against
/// another version is reported and not loaded.
inline constexpr int kPluginApiVersion = 2;

/// What a plugin's plugin.json says about it. Read before the library is ever opened, so the
/// workbench can list plugins (and the problems with them) without running their code.
struct PluginMetadata {
    std::string id;   ///< unique, e.g. "attack-single-target-label"
    std::string kind; ///< "attack", "defense" or "dataset-format"
    std::string name; ///< shown to users
    std::string version;
    std::string description;
    int apiVersion = 0;
    std::filesystem::path library;           ///< absolute path of the shared library
    std::filesystem::path directory;         ///< the plugin's folder
    std::vector<PluginParameter> parameters; ///< its options, for forms and their checks
    nlohmann::json raw;                      ///< the whole plugin.json, for kind-specific keys
};

/// Base class of every plugin object. Kind-specific interfaces (AttackPlugin, DefensePlugin,
/// DatasetFormatPlugin...) derive from it; the registry hands out shared_ptrs that keep the
/// library loaded for as long as any instance lives.
class Plugin {
public:
    virtual ~Plugin();
    const PluginMetadata &metadata() const { return m_metadata; }

protected:
    /// Throws poisonlab::Error saying "<id>: <message>", so a plugin's messages name it without
    /// repeating its id (plugin.json is the one place that spells it).
    [[noreturn]] void fail(const std::string &message) const;

private:
    friend class PluginRegistry;
    PluginMetadata m_metadata;
};

} // namespace poisonlab::plugin

/// Each plugin library defines its factory with this macro, e.g.
/// `POISONLAB_DEFINE_PLUGIN(MyAttack)`; the class must be default-constructible.
#define POISONLAB_DEFINE_PLUGIN(ClassName)                                                                             \
    extern "C" __attribute__((visibility("default"))) int poisonlab_plugin_api_version()                               \
    {                                                                                                                  \
        return ::poisonlab::plugin::kPluginApiVersion;                                                                 \
    }                                                                                                                  \
    extern "C" __attribute__((visibility("default"))) ::poisonlab::plugin::Plugin *poisonlab_create_plugin()           \
    {                                                                                                                  \
        return new ClassName();                                                                                        \
    }
