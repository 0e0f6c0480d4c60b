#pragma once

#include "poisonlab/core/report/RunResults.h"

#include <QMetaType>

#include <memory>

namespace poisonlab::ui {

/// A run read by core's report::RunResults, shared read-only between the loading job's thread
/// and the views (crosses threads inside a QVariant).
using RunResultsPtr = std::shared_ptr<const report::RunResults>;

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::RunResultsPtr)
