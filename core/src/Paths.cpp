#include "poisonlab/core/Paths.h"

#include "poisonlab/core/ConfinedPath.h"

#include <cstdlib>
#include <sstream>
#include <string>

namespace poisonlab {
namespace fs = std::filesystem;

fs::path userDataDir()
{
    if (const char *dir = std::getenv("POISONLAB_DATA_DIR"); dir && *dir)
        return dir;
    if (const char *xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        return fs::path(xdg) / "poisonlab";
    if (const char *home = std::getenv("HOME"); home && *home)
        return fs::path(home) / ".local" / "share" / "poisonlab";
    return fs::temp_directory_path() / "poisonlab";
}

fs::path executableDir()
{
    std::error_code ec;
    fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    return ec ? fs::current_path() : exe.parent_path();
}

std::vector<fs::path> defaultPluginDirs()
{
    std::vector<fs::path> dirs;
    if (const char *env = std::getenv("POISONLAB_PLUGIN_PATH"); env && *env) {
        std::stringstream ss(env);
        std::string item;
        while (std::getline(ss, item, ':'))
            if (!item.empty())
                dirs.emplace_back(item);
    }
    // Beside the executable: build/bin -> build/lib/poisonlab/plugins in a build tree, and
    // /usr/bin -> /usr/lib/poisonlab/plugins once installed (an installed binary never looks
    // into the tree it was built in).
    const fs::path exeDir = executableDir();
    dirs.push_back(exeDir.parent_path() / "lib" / "poisonlab" / "plugins");
#ifdef POISONLAB_PLUGIN_INSTALL_DIR
    dirs.emplace_back(POISONLAB_PLUGIN_INSTALL_DIR);
#endif
    // Keep the first occurrence of each folder.
    std::vector<fs::path> unique;
    for (auto &d : dirs) {
        std::error_code ec;
        fs::path canon = fs::weakly_canonical(d, ec);
        if (ec)
            canon = d;
        bool seen = false;
        for (auto &u : unique)
            seen = seen || u == canon;
        if (!seen)
            unique.push_back(canon);
    }
    return unique;
}

bool isInsideRoot(const fs::path &root, const fs::path &candidate)
{
    return resolvesInside(root, candidate.is_absolute() ? candidate : root / candidate);
}

} // namespace poisonlab
