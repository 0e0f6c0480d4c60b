#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <string>

namespace poisonlab::experiment {

/// A checksum of a dataset's content as a run sees it (classes; each image's path, split, label
/// and categories; each caption's image, text and poisoned flag), "fnv1a64:<16 hex digits>".
/// Independent of where the dataset lies, so the same data copied elsewhere gives the same value.
std::string datasetChecksum(const data::Dataset &dataset);

} // namespace poisonlab::experiment
