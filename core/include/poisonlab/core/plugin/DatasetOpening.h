#pragma once

#include "poisonlab/core/Progress.h"
#include "poisonlab/core/data/Dataset.h"
#include "poisonlab/core/data/DatasetSource.h"

#include <string>
#include <vector>

namespace poisonlab::plugin {

// Opening a dataset means finding its dataset-format plugin, so it lives here, above data/:
// data/ holds the Dataset model and the tools format readers build it with, and never looks
// plugins up (the plugin interfaces take data:: types, so a lookup from data/ would make the
// two modules depend on each other).

/// Opens a dataset through its dataset-format plugin. Bad records and files are skipped and
/// listed in Dataset::skipped; a dataset that cannot be read at all throws poisonlab::Error naming
/// the file and the problem. Reports progress and honours cancellation.
data::Dataset openDataset(const data::DatasetSource &source, ProgressReporter &progress);

/// The ids of the dataset-format plugins found, e.g. for a format chooser or an error message.
std::vector<std::string> knownDatasetFormats();

} // namespace poisonlab::plugin
