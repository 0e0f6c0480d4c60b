#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace poisonlab {

/// Paths read from files — an annotation's image path, a sweep index's cell folder, a
/// checkpoint pointer, a weights sidecar's tokenizer, an evaluation record's image path — must
/// stay inside the folder they are relative to, also once symbolic links are resolved: a file
/// from a stranger must not make PoisonLab read or write elsewhere (docs/reliability.md).

/// How a problem names the path and its folder: "absolute <what> (must be relative to <root>)".
struct PathRole {
    std::string_view what = "path";     ///< "image path", "cell folder", ...
    std::string_view root = "its root"; ///< "the dataset root", "the sweep folder", ...
};

/// Why `relative` may not be used under `root`, or nothing when it may: it is empty, absolute
/// (POSIX, or a Windows drive or UNC path), holds a NUL byte, names the root itself, climbs out
/// with "..", or — with `followSymlinks` — resolves through a symbolic link to a place outside
/// the root (as the root itself resolves). `normalised` (when not null) receives the path
/// relative to the root, '/'-separated, with "." and ".." folded.
std::optional<std::string> pathEscapeProblem(const std::filesystem::path &root, std::string_view relative,
                                             bool followSymlinks, PathRole role = {},
                                             std::string *normalised = nullptr);

/// root / relative (normalised) when it stays inside `root`, symbolic links followed; otherwise
/// throws poisonlab::Error naming `file` (the file the path was read from), the path and why.
std::filesystem::path confinedPath(const std::filesystem::path &root, std::string_view relative,
                                   const std::filesystem::path &file, PathRole role = {});

/// True when `path`, resolved through symbolic links and "..", lies inside `root` (resolved the
/// same way); a path that cannot be resolved is not inside.
bool resolvesInside(const std::filesystem::path &root, const std::filesystem::path &path);

/// `name` when it can be one file or folder name (a run folder named after a config's "name"):
/// not empty, not "." or "..", without '/', '\\' or NUL; otherwise throws poisonlab::Error naming
/// `file`, `key` and the name, and suggesting `remedy`.
const std::string &checkedFileName(const std::string &name, const std::filesystem::path &file, std::string_view key,
                                   std::string_view remedy);

} // namespace poisonlab
