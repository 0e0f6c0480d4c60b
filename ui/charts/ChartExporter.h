#pragma once

#include <QSize>
#include <QString>

class QChart;

namespace poisonlab::ui {

/// Writes charts as files for papers and slides: PNG (rendered at `scale` x for sharp slides) or
/// SVG (vector, through QSvgGenerator), chosen by the file's suffix. Files are written atomically
/// (QSaveFile), so a failed export never leaves half a file over an older one.
class ChartExporter {
public:
    static bool exportChart(QChart *chart, const QString &path, QSize size, QString *error = nullptr,
                            qreal scale = 2.0);
    static QString fileFilter(); ///< for QFileDialog
};

} // namespace poisonlab::ui
