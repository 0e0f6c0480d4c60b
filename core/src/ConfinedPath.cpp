#include "poisonlab/core/ConfinedPath.h"

#include "poisonlab/core/Error.h"

#include <vector>

namespace poisonlab {
namespace fs = std::filesystem;

namespace {

bool isAbsoluteText(std::string_view p)
{
    if (p.empty())
        return false;
    if (p.front() == '/' || p.front() == '\\') // POSIX, and Windows' UNC and rooted paths
        return true;
    return p.size() > 2 && p[1] == ':' && (p[2] == '/' || p[2] == '\\'); // "C:\x", "C:/x"
}

/// `path` with every symbolic link and ".." resolved as far as it exists.
std::optional<fs::path> resolved(const fs::path &path)
{
    std::error_code ec;
    fs::path abs = fs::absolute(path, ec);
    if (ec)
        return std::nullopt;
    fs::path out = fs::weakly_canonical(abs, ec);
    if (ec)
        return std::nullopt;
    return out;
}

bool startsWith(const fs::path &root, const fs::path &path)
{
    auto cit = path.begin();
    for (auto rit = root.begin(); rit != root.end(); ++rit, ++cit) {
        if (rit->empty() && std::next(rit) == root.end())
            break; // a trailing separator
        if (cit == path.end() || *rit != *cit)
            return false;
    }
    return true;
}

} // namespace

bool resolvesInside(const fs::path &root, const fs::path &path)
{
    const auto r = resolved(root);
    const auto p = resolved(path);
    return r && p && startsWith(*r, *p);
}

std::optional<std::string> pathEscapeProblem(const fs::path &root, std::string_view relative, bool followSymlinks,
                                             PathRole role, std::string *normalised)
{
    const std::string what(role.what), rootName(role.root);
    if (relative.empty())
        return "empty " + what;
    if (isAbsoluteText(relative))
        return "absolute " + what + " (must be relative to " + rootName + ")";
    if (relative.find('\0') != std::string_view::npos)
        return what + " contains a NUL byte";
    // Folded by text first: "a/../../b" climbs out even when "a" does not exist.
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= relative.size(); ++i) {
        if (i < relative.size() && relative[i] != '/' && relative[i] != '\\')
            continue;
        const std::string_view part = relative.substr(start, i - start);
        start = i + 1;
        if (part.empty() || part == ".")
            continue;
        if (part == "..") {
            if (parts.empty())
                return what + " escapes " + rootName + " (\"..\")";
            parts.pop_back();
            continue;
        }
        parts.push_back(part);
    }
    if (parts.empty())
        return what + " names " + rootName + " itself";
    std::string joined;
    for (const auto &p : parts) {
        if (!joined.empty())
            joined.push_back('/');
        joined.append(p);
    }
    if (followSymlinks && !resolvesInside(root, root / joined))
        return what + " leads outside " + rootName + " through a symbolic link";
    if (normalised)
        *normalised = std::move(joined);
    return std::nullopt;
}

fs::path confinedPath(const fs::path &root, std::string_view relative, const fs::path &file, PathRole role)
{
    std::string normalised;
    if (const auto problem = pathEscapeProblem(root, relative, true, role, &normalised))
        throw Error(file, "\"" + std::string(relative) + "\" refused: " + *problem);
    return root / normalised;
}

const std::string &checkedFileName(const std::string &name, const fs::path &file, std::string_view key,
                                   std::string_view remedy)
{
    std::string problem;
    if (name.empty())
        problem = "is empty";
    else if (name == "." || name == "..")
        problem = "names a folder above or itself";
    else if (name.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
        problem = "holds a path separator or a NUL byte";
    if (!problem.empty())
        throw Error(file, "\"" + std::string(key) + "\" \"" + name + "\" cannot be a file name: it " + problem + "; " +
                              std::string(remedy));
    return name;
}

} // namespace poisonlab
