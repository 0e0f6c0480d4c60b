#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::data {

/// Where a dataset comes from: a dataset-format plugin id ("pascal-sentences", "karpathy",
/// "flickr30k-token", "coco", "paper-json", "csv"), the dataset root, its annotation files, and
/// format-specific options (e.g. {"seed": 0} for COCO's label choice).
struct DatasetSource {
    std::string format;
    std::filesystem::path root;
    std::vector<std::filesystem::path> annotations;
    nlohmann::json options = nlohmann::json::object();
};

/// Opens a dataset through its dataset-format plugin. Bad records and files are skipped and
/// listed in Dataset::skipped; a dataset that cannot be read at all throws poisonlab::Error naming
/// the file and the problem. Reports progress and honours cancellation.
Dataset openDataset(const DatasetSource &source, ProgressReporter &progress);

/// The ids of the dataset-format plugins found, e.g. for a format chooser or an error message.
std::vector<std::string> knownDatasetFormats();

} // namespace poisonlab::data
