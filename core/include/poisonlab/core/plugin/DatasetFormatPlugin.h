#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/data/DatasetSource.h"
#include "poisonlab/core/plugin/Plugin.h"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace poisonlab::plugin {

/// A dataset format (kind "dataset-format"): reads one on-disk layout into a data::Dataset.
/// Implementations build the dataset with data::DatasetBuilder, which checks image paths
/// (inside the root, present, an image) and records what it skips; they report progress and
/// poll cancellation between records. Bad records are skipped and listed; only a file that
/// cannot be read at all (missing, malformed JSON...) throws poisonlab::Error naming it.
///
/// plugin.json may add "extensions" (annotation file endings, e.g. [".json"]) and
/// "annotationHint" (what to pass as annotations, shown by UIs).
class DatasetFormatPlugin : public Plugin {
public:
    virtual data::Dataset read(const data::DatasetSource &source, ProgressReporter &progress) = 0;

    /// The annotation files to read: source.annotations made absolute (a relative one is taken
    /// from the current folder when it exists there, else from the root); when none are given,
    /// the files under the root (and its sub-folders, two levels deep) whose file name `accept`s,
    /// sorted. Throws poisonlab::Error naming the root when nothing is found or a given file
    /// is missing.
    static std::vector<std::filesystem::path> annotationFiles(const data::DatasetSource &source,
                                                              const std::function<bool(const std::string &)> &accept,
                                                              const std::string &what);
};

} // namespace poisonlab::plugin
