#include "poisonlab/core/plugin/DatasetFormatPlugin.h"

#include "poisonlab/core/Error.h"

#include <algorithm>

namespace poisonlab::plugin {
namespace fs = std::filesystem;

std::vector<fs::path> DatasetFormatPlugin::annotationFiles(const data::DatasetSource &source,
                                                           const std::function<bool(const std::string &)> &accept,
                                                           const std::string &what)
{
    std::vector<fs::path> out;
    std::error_code ec;
    if (!source.annotations.empty()) {
        for (const auto &a : source.annotations) {
            fs::path p = a;
            if (p.is_relative() && !fs::exists(p, ec))
                p = source.root / a;
            if (!fs::is_regular_file(p, ec))
                throw Error(p, fs::exists(p, ec) ? "is not a file" : "annotation file not found");
            out.push_back(fs::absolute(p, ec).lexically_normal());
        }
        return out;
    }
    if (!fs::is_directory(source.root, ec))
        throw Error(source.root, "dataset root folder not found");
    for (auto it = fs::recursive_directory_iterator(source.root, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (it.depth() >= 2)
            it.disable_recursion_pending();
        if (it->is_regular_file(ec) && accept(it->path().filename().string()))
            out.push_back(it->path());
    }
    std::sort(out.begin(), out.end());
    if (out.empty())
        throw Error(source.root, "no " + what + " found in the dataset folder (name the file with --annotations)");
    return out;
}

} // namespace poisonlab::plugin
