#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

namespace poisonlab::data {

/// Where a dataset comes from: a dataset-format plugin id ("pascal-sentences", "karpathy",
/// "flickr30k-token", "coco", "paper-json", "csv"), the dataset root, its annotation files, and
/// format-specific options (e.g. {"seed": 0} for COCO's label choice). Opened with
/// plugin::openDataset() (plugin/DatasetOpening.h).
struct DatasetSource {
    std::string format;
    std::filesystem::path root;
    std::vector<std::filesystem::path> annotations;
    nlohmann::json options = nlohmann::json::object();
};

} // namespace poisonlab::data
