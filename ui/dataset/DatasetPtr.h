#pragma once

#include "poisonlab/core/data/Dataset.h"

#include <QMetaType>

#include <memory>

namespace poisonlab::ui {

/// How the workbench refers to an opened dataset: immutable and shared, so models, views and
/// background decoders on other threads can all read it without copies or locks.
using DatasetPtr = std::shared_ptr<const data::Dataset>;

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::DatasetPtr)
