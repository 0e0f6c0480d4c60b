#pragma once

#include "poisonlab/core/plugin/Plugin.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace poisonlab::plugin {

/// Something wrong with one plugin: its folder or library, and what is wrong.
struct PluginProblem {
    std::filesystem::path path;
    std::string message;
};

/// Finds plugins (one folder each, holding plugin.json and the library it names), reads their
/// metadata without loading them, and loads a library only when one of its plugins is created.
/// A broken plugin (bad JSON, missing library, wrong API version, missing factory, a factory
/// that throws or returns the wrong kind) becomes a PluginProblem; it never stops the others.
class PluginRegistry {
public:
    PluginRegistry();
    ~PluginRegistry();
    PluginRegistry(const PluginRegistry &) = delete;
    PluginRegistry &operator=(const PluginRegistry &) = delete;

    /// The process-wide registry, scanned on first use over defaultPluginDirs().
    static PluginRegistry &instance();

    /// Scans each folder (its sub-folders holding a plugin.json) and adds what it finds;
    /// a later plugin with an id already known is reported as a duplicate.
    void scan(const std::vector<std::filesystem::path> &dirs);

    std::vector<PluginMetadata> plugins(const std::string &kind = {}) const;
    std::vector<PluginProblem> problems() const;
    const PluginMetadata *find(const std::string &id) const;

    /// Creates the plugin `id` and checks it implements `Interface`. Returns nullptr (and
    /// records a problem) when it cannot; `error`, when given, receives the reason.
    template <typename Interface>
    std::shared_ptr<Interface> create(const std::string &id, std::string *error = nullptr)
    {
        std::shared_ptr<Plugin> base = createPlugin(id, error);
        if (!base)
            return nullptr;
        auto typed = std::dynamic_pointer_cast<Interface>(base);
        if (!typed)
            fail(id, "does not implement the interface its kind requires", error);
        return typed;
    }

    std::shared_ptr<Plugin> createPlugin(const std::string &id, std::string *error = nullptr);

private:
    struct LoadedLibrary;
    void fail(const std::string &id, const std::string &message, std::string *error);
    void readMetadata(const std::filesystem::path &pluginJson);

    mutable std::mutex m_mutex;
    std::vector<PluginMetadata> m_plugins;
    std::vector<PluginProblem> m_problems;
    std::vector<std::shared_ptr<LoadedLibrary>> m_libraries;
};

} // namespace poisonlab::plugin
