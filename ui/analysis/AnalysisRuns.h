#pragma once

#include <QMetaType>
#include <QString>

namespace poisonlab::ui {

/// The runs an analysis view looks at: a poisoned run and, when there is one, its clean
/// counterpart (same data and model, no attack), as run directories. Views that compare the two
/// (retrieval side by side, embedding shift, maps side by side) say so when `clean` is empty
/// and offer to pick it.
struct AnalysisRuns {
    QString poisoned; ///< a run directory (may also be a clean run when only one is open)
    QString clean;    ///< its clean counterpart, or empty

    bool isEmpty() const { return poisoned.isEmpty() && clean.isEmpty(); }
    bool operator==(const AnalysisRuns &o) const { return poisoned == o.poisoned && clean == o.clean; }
};

} // namespace poisonlab::ui

Q_DECLARE_METATYPE(poisonlab::ui::AnalysisRuns)
