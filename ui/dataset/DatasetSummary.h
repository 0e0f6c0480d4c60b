#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <QString>

namespace poisonlab::ui {

/// How the workbench names and sums up an open dataset (window title, status bar).
class DatasetSummary {
public:
    /// The dataset's own name, else its root folder's name.
    static QString name(const data::Dataset &dataset);
    /// "name (format): 1,000 images, 5,000 pairs, 20 classes[, N poisoned][ — N skipped (see
    /// Skipped items)]", numbers in the user's locale.
    static QString describe(const data::Dataset &dataset);
};

} // namespace poisonlab::ui
