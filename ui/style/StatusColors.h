#pragma once

#include <QColor>
#include <QPalette>
#include <QString>

class QWidget;

namespace poisonlab::ui {

/// The workbench's signal colours (errors, warnings, poisoned pairs), chosen for the palette in
/// use: the dark variants are too dim on a dark system theme, so a dark window gets lighter ones.
/// Everything else takes its colours from the palette itself.
class StatusColors {
public:
    static bool isDark(const QPalette &palette); ///< the window background is dark
    static QColor error(const QPalette &palette);
    static QColor warning(const QPalette &palette);
    /// The red of poisoned pairs (frames, badges, text).
    static QColor poison(const QPalette &palette);
    /// "color: #rrggbb;" for a label's style sheet.
    static QString errorStyle(const QPalette &palette);
    static QString warningStyle(const QPalette &palette);
};

} // namespace poisonlab::ui
