#pragma once

#include <QMetaType>
#include <QtGlobal>

namespace poisonlab::ui {

/// One training step as the workbench shows it; copied by value from the worker thread.
struct TrainingStep {
    qint64 step = 0;       ///< global step, 1-based
    qint64 totalSteps = 0; ///< 0 when unknown
    int epoch = 0;         ///< 1-based
    double loss = 0;
    double learningRate = 0;
    double samplesPerSecond = 0;
    double etaSeconds = -1; ///< < 0 when unknown
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::TrainingStep)
