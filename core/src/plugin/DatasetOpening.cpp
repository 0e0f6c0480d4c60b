#include "poisonlab/core/plugin/DatasetOpening.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/plugin/DatasetFormatPlugin.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace poisonlab::plugin {
namespace fs = std::filesystem;

std::vector<std::string> knownDatasetFormats()
{
    std::vector<std::string> ids;
    for (const auto &p : PluginRegistry::instance().plugins("dataset-format"))
        ids.push_back(p.id);
    return ids;
}

data::Dataset openDataset(const data::DatasetSource &source, ProgressReporter &progress)
{
    auto &registry = PluginRegistry::instance();
    const PluginMetadata *meta = registry.find(source.format);
    if (!meta || meta->kind != "dataset-format") {
        std::string known;
        for (const auto &id : knownDatasetFormats())
            known += (known.empty() ? "" : ", ") + id;
        throw Error("unknown dataset format \"" + source.format + "\" (known formats: " +
                    (known.empty() ? "none - no dataset-format plugins were found" : known) + ")");
    }
    std::error_code ec;
    if (!fs::is_directory(source.root, ec))
        throw Error(source.root, "dataset root folder not found");
    std::string error;
    auto reader = registry.create<DatasetFormatPlugin>(source.format, &error);
    if (!reader)
        throw Error("cannot open the \"" + source.format + "\" dataset reader: " + error);
    data::Dataset dataset = reader->read(source, progress);
    dataset.format = source.format;
    if (dataset.root.empty())
        dataset.root = fs::absolute(source.root, ec).lexically_normal();
    if (!dataset.skipped.empty()) {
        // The first few with their reasons: when a dataset lost every pair (all its images are not
        // images, or outside its root), the console must say why, not only how many.
        const std::size_t shown = std::min<std::size_t>(3, dataset.skipped.size());
        std::string first;
        for (std::size_t i = 0; i < shown; ++i)
            first += (i ? "; " : "") + dataset.skipped[i].where + ": " + dataset.skipped[i].reason;
        spdlog::info("{}: {} item(s) skipped while opening {} dataset: {}{}", dataset.root.string(),
                     dataset.skipped.size(), source.format, first, dataset.skipped.size() > shown ? "; ..." : "");
    }
    return dataset;
}

} // namespace poisonlab::plugin
