#pragma once

#include <QPalette>
#include <QSize>
#include <QString>

#include <functional>
#include <optional>

class QChart;
class QPainter;
class QRectF;

namespace poisonlab::ui {

/// Writes charts as files for papers and slides: PNG (rendered at `scale` x the chosen size, for
/// sharp slides), SVG (vector, QSvgGenerator, with a viewBox of the chosen size) or PDF (one page
/// of the chosen size, QPdfWriter), chosen by the file's suffix. Exports are always light-themed
/// with slide-sized title, axis and legend fonts, whatever the screen's theme: a dark chart is
/// re-themed for the file only and left as it was on screen. Files are written atomically
/// (QSaveFile), so a failed export never leaves half a file, nor a new empty one.
class ChartExporter {
public:
    enum class Format { Png, Svg, Pdf };
    /// Draws a custom figure (not a QChart) into `target`, in logical pixels, with `palette`.
    using Drawing = std::function<void(QPainter &painter, const QRectF &target, const QPalette &palette)>;

    static bool exportChart(QChart *chart, const QString &path, QSize size, QString *error = nullptr,
                            qreal scale = 2.0);
    /// The same for a custom-drawn figure; `title` becomes the SVG/PDF document title.
    static bool exportDrawing(const Drawing &draw, const QString &title, const QString &path, QSize size,
                              QString *error = nullptr, qreal scale = 2.0);

    static QString fileFilter();          ///< for QFileDialog: PNG, SVG, PDF
    static QString suffix(Format format); ///< "png", "svg", "pdf"
    static QString formatName(Format format);
    /// The format a path's suffix names (case-insensitive), or none.
    static std::optional<Format> formatOf(const QString &path);
    /// `path` with `format`'s suffix appended when it has no suffix of a known format.
    static QString withSuffix(const QString &path, Format format);
    /// The light palette every export is drawn with.
    static QPalette exportPalette();
};

} // namespace poisonlab::ui
