#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>

namespace poisonlab::attack {

/// The poisoned training set as the paper code's JSON records, one per caption:
/// [{"image": path relative to the dataset root, "caption": text, "image_id": the id of the image
/// now paired (source id, else path), "label": class name of the caption's own image}].
/// `split` selects the records ("all" for every split); `poisonedOnly` keeps only swapped pairs
/// (the paper writes those to a second file).
nlohmann::json paperRecords(const data::Dataset &dataset, const std::string &split = "train",
                            bool poisonedOnly = false);

/// Writes paperRecords() atomically to `path`.
void exportPaperJson(const std::filesystem::path &path, const data::Dataset &dataset,
                     const std::string &split = "train", bool poisonedOnly = false);

} // namespace poisonlab::attack
