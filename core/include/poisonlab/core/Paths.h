#pragma once

#include <filesystem>
#include <vector>

namespace poisonlab {

/// Where PoisonLab keeps per-user data (logs, caches, the pre-trained demo model):
/// $POISONLAB_DATA_DIR, else $XDG_DATA_HOME/poisonlab, else ~/.local/share/poisonlab.
std::filesystem::path userDataDir();

/// The folder holding the running executable (from /proc/self/exe).
std::filesystem::path executableDir();

/// Folders searched for plugins, in order: $POISONLAB_PLUGIN_PATH (colon-separated), the build
/// tree's plugin folder, the one beside the executable's lib/ and the install prefix.
std::vector<std::filesystem::path> defaultPluginDirs();

/// True when `candidate`, resolved through symlinks and "..", lies inside `root`.
bool isInsideRoot(const std::filesystem::path &root, const std::filesystem::path &candidate);

} // namespace poisonlab
