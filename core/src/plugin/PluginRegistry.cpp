#include "poisonlab/core/plugin/PluginRegistry.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Paths.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <dlfcn.h>

namespace poisonlab::plugin {
namespace fs = std::filesystem;

struct PluginRegistry::LoadedLibrary {
    fs::path path;
    void *handle = nullptr;
    std::string error;
    ~LoadedLibrary()
    {
        if (handle)
            ::dlclose(handle);
    }
};

namespace {

const std::vector<std::string> kKinds = {"attack", "defense", "dataset-format"};

std::string requireString(const nlohmann::json &j, const char *key)
{
    if (!j.contains(key))
        throw std::runtime_error(std::string("missing key \"") + key + "\"");
    if (!j.at(key).is_string() || j.at(key).get<std::string>().empty())
        throw std::runtime_error(std::string("key \"") + key + "\" must be a non-empty string");
    return j.at(key).get<std::string>();
}

} // namespace

PluginRegistry::PluginRegistry() = default;

PluginRegistry::~PluginRegistry() = default;

PluginRegistry &PluginRegistry::instance()
{
    static PluginRegistry registry;
    static std::once_flag scanned;
    std::call_once(scanned, [] { registry.scan(defaultPluginDirs()); });
    return registry;
}

void PluginRegistry::scan(const std::vector<fs::path> &dirs)
{
    for (const auto &dir : dirs) {
        std::error_code ec;
        if (!fs::is_directory(dir, ec))
            continue;
        std::vector<fs::path> found;
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            const fs::path json = it->path() / "plugin.json";
            if (fs::is_regular_file(json, ec))
                found.push_back(json);
        }
        std::sort(found.begin(), found.end()); // deterministic order
        for (const auto &json : found)
            readMetadata(json);
    }
}

void PluginRegistry::readMetadata(const fs::path &pluginJson)
{
    PluginMetadata meta;
    meta.directory = pluginJson.parent_path();
    try {
        meta.raw = readJsonFile(pluginJson);
        if (!meta.raw.is_object())
            throw std::runtime_error("must be a JSON object");
        meta.id = requireString(meta.raw, "id");
        meta.kind = requireString(meta.raw, "kind");
        if (std::find(kKinds.begin(), kKinds.end(), meta.kind) == kKinds.end())
            throw std::runtime_error("unknown kind \"" + meta.kind + "\" (expected attack, defense or dataset-format)");
        meta.name = meta.raw.value("name", meta.id);
        meta.version = meta.raw.value("version", "0");
        meta.description = meta.raw.value("description", "");
        if (!meta.raw.contains("apiVersion") || !meta.raw.at("apiVersion").is_number_integer())
            throw std::runtime_error("missing integer key \"apiVersion\"");
        meta.apiVersion = meta.raw.at("apiVersion").get<int>();
        meta.library = meta.directory / requireString(meta.raw, "library");
        meta.parameters = PluginParameter::listFromJson(meta.raw.value("parameters", nlohmann::json()));
    } catch (const std::exception &e) {
        std::string msg = e.what();
        // readJsonFile's errors already name the file.
        if (msg.rfind(pluginJson.string(), 0) != 0)
            msg = pluginJson.string() + ": " + msg;
        std::lock_guard lock(m_mutex);
        m_problems.push_back({pluginJson, msg});
        spdlog::warn("plugin skipped: {}", msg);
        return;
    }

    std::lock_guard lock(m_mutex);
    auto problem = [&](const std::string &m) {
        m_problems.push_back({pluginJson, pluginJson.string() + ": " + m});
        spdlog::warn("plugin skipped: {}", m_problems.back().message);
    };
    if (meta.apiVersion != kPluginApiVersion)
        return problem("plugin \"" + meta.id + "\" is built for plugin API " + std::to_string(meta.apiVersion) +
                       ", this PoisonLab provides " + std::to_string(kPluginApiVersion));
    std::error_code ec;
    if (!fs::is_regular_file(meta.library, ec))
        return problem("plugin \"" + meta.id + "\": library " + meta.library.string() + " not found");
    for (const auto &p : m_plugins)
        if (p.id == meta.id)
            return problem("plugin id \"" + meta.id + "\" already provided by " + p.directory.string() + "; ignored");
    m_plugins.push_back(std::move(meta));
}

std::vector<PluginMetadata> PluginRegistry::plugins(const std::string &kind) const
{
    std::lock_guard lock(m_mutex);
    std::vector<PluginMetadata> out;
    for (const auto &p : m_plugins)
        if (kind.empty() || p.kind == kind)
            out.push_back(p);
    return out;
}

std::vector<PluginProblem> PluginRegistry::problems() const
{
    std::lock_guard lock(m_mutex);
    return m_problems;
}

const PluginMetadata *PluginRegistry::find(const std::string &id) const
{
    std::lock_guard lock(m_mutex);
    for (const auto &p : m_plugins)
        if (p.id == id)
            return &p;
    return nullptr;
}

void PluginRegistry::fail(const std::string &id, const std::string &message, std::string *error)
{
    const std::string full = "plugin \"" + id + "\": " + message;
    {
        std::lock_guard lock(m_mutex);
        fs::path where;
        for (const auto &p : m_plugins)
            if (p.id == id)
                where = p.directory;
        m_problems.push_back({where, full});
    }
    spdlog::warn("{}", full);
    if (error)
        *error = full;
}

std::shared_ptr<Plugin> PluginRegistry::createPlugin(const std::string &id, std::string *error)
{
    PluginMetadata meta;
    std::shared_ptr<LoadedLibrary> lib;
    {
        std::lock_guard lock(m_mutex);
        auto it = std::find_if(m_plugins.begin(), m_plugins.end(), [&](const auto &p) { return p.id == id; });
        if (it == m_plugins.end()) {
            std::string known;
            for (const auto &p : m_plugins)
                known += (known.empty() ? "" : ", ") + p.id;
            const std::string msg = "unknown plugin \"" + id + "\" (known: " + (known.empty() ? "none" : known) + ")";
            if (error)
                *error = msg;
            return nullptr;
        }
        meta = *it;
        for (const auto &l : m_libraries)
            if (l->path == meta.library)
                lib = l;
        if (!lib) {
            lib = std::make_shared<LoadedLibrary>();
            lib->path = meta.library;
            lib->handle = ::dlopen(meta.library.c_str(), RTLD_NOW | RTLD_LOCAL);
            if (!lib->handle) {
                const char *why = ::dlerror();
                lib->error = why ? why : "dlopen failed";
            }
            m_libraries.push_back(lib);
        }
    }
    if (!lib->handle) {
        fail(id, "cannot load " + meta.library.string() + ": " + lib->error, error);
        return nullptr;
    }
    using ApiFn = int (*)();
    using CreateFn = Plugin *(*)();
    auto api = reinterpret_cast<ApiFn>(::dlsym(lib->handle, "poisonlab_plugin_api_version"));
    auto create = reinterpret_cast<CreateFn>(::dlsym(lib->handle, "poisonlab_create_plugin"));
    if (!api || !create) {
        fail(id,
             meta.library.string() + " lacks poisonlab_create_plugin/poisonlab_plugin_api_version "
                                     "(use POISONLAB_DEFINE_PLUGIN)",
             error);
        return nullptr;
    }
    if (api() != kPluginApiVersion) {
        fail(id,
             "library is built for plugin API " + std::to_string(api()) + ", expected " +
                 std::to_string(kPluginApiVersion),
             error);
        return nullptr;
    }
    Plugin *raw = nullptr;
    try {
        raw = create();
    } catch (const std::exception &e) {
        fail(id, std::string("factory threw: ") + e.what(), error);
        return nullptr;
    }
    if (!raw) {
        fail(id, "factory returned no object", error);
        return nullptr;
    }
    raw->m_metadata = meta;
    // The deleter holds the library, so the code stays mapped while an instance lives.
    return std::shared_ptr<Plugin>(raw, [lib](Plugin *p) { delete p; });
}

} // namespace poisonlab::plugin
