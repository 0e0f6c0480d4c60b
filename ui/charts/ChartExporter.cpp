#include "charts/ChartExporter.h"

#include "charts/ChartExportTheme.h"

#include <QChart>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace poisonlab::ui {

namespace {

using Paint = std::function<void(QPainter &painter, const QRectF &target)>;

bool writeFile(const QString &path, QSize size, qreal scale, const QString &title, const Paint &paint, QString *error)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, why);
        return false;
    };
    const auto format = ChartExporter::formatOf(path);
    if (!format)
        return fail(QObject::tr("unknown file type '%1' (use .png, .svg or .pdf)").arg(QFileInfo(path).suffix()));
    if (!size.isValid() || size.isEmpty())
        return fail(QObject::tr("the size %1 x %2 is empty").arg(size.width()).arg(size.height()));
    const QRectF target(QPointF(0, 0), QSizeF(size));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    const QString docTitle = title.isEmpty() ? QStringLiteral("PoisonLab chart") : title;
    if (*format == ChartExporter::Format::Svg) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setResolution(96); // points and pixels as on screen: the fonts keep their size
        svg.setTitle(docTitle);
        svg.setDescription(QStringLiteral("Exported by PoisonLab"));
        QPainter painter(&svg);
        paint(painter, target);
    } else if (*format == ChartExporter::Format::Pdf) {
        QPdfWriter pdf(&file);
        pdf.setResolution(96); // one device unit = one pixel of the chosen size
        pdf.setPageSize(QPageSize(QSizeF(size) * 72.0 / 96.0, QPageSize::Point, QString(), QPageSize::ExactMatch));
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setTitle(docTitle);
        pdf.setCreator(QStringLiteral("PoisonLab"));
        QPainter painter(&pdf);
        painter.setRenderHint(QPainter::Antialiasing);
        paint(painter, target);
    } else {
        QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        paint(painter, target);
        painter.end();
        if (!image.save(&file, "PNG"))
            return fail(QObject::tr("the PNG encoder failed"));
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace

QString ChartExporter::fileFilter()
{
    return QObject::tr("PNG image (*.png);;SVG vector image (*.svg);;PDF document (*.pdf)");
}

QString ChartExporter::suffix(Format format)
{
    switch (format) {
    case Format::Png:
        return QStringLiteral("png");
    case Format::Svg:
        return QStringLiteral("svg");
    case Format::Pdf:
        return QStringLiteral("pdf");
    }
    return {};
}

QString ChartExporter::formatName(Format format)
{
    switch (format) {
    case Format::Png:
        return QObject::tr("PNG image (2x)");
    case Format::Svg:
        return QObject::tr("SVG vector image");
    case Format::Pdf:
        return QObject::tr("PDF document");
    }
    return {};
}

std::optional<ChartExporter::Format> ChartExporter::formatOf(const QString &path)
{
    const QString s = QFileInfo(path).suffix().toLower();
    for (Format f : {Format::Png, Format::Svg, Format::Pdf})
        if (s == suffix(f))
            return f;
    return std::nullopt;
}

QString ChartExporter::withSuffix(const QString &path, Format format)
{
    if (path.isEmpty() || formatOf(path))
        return path;
    return path + QLatin1Char('.') + suffix(format);
}

QPalette ChartExporter::exportPalette()
{
    QPalette p(QColor(0xf0, 0xf0, 0xf0), QColor(Qt::white));
    p.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::Mid, QColor(0xa0, 0xa0, 0xa0));
    p.setColor(QPalette::Midlight, QColor(0xd8, 0xd8, 0xd8));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    return p;
}

bool ChartExporter::exportChart(QChart *chart, const QString &path, QSize size, QString *error, qreal scale)
{
    if (!chart || !chart->scene()) {
        if (error)
            *error = QObject::tr("Cannot write %1: there is no chart to export").arg(path);
        return false;
    }
    if (!size.isValid() || size.isEmpty())
        size = chart->size().toSize();
    return writeFile(
        path, size, scale, chart->title(),
        [chart, size](QPainter &painter, const QRectF &target) {
            // Light theme, slide fonts and the chosen size for the file only; undone on return.
            const ChartExportTheme look(chart, QSizeF(size));
            chart->scene()->render(&painter, target, chart->sceneBoundingRect());
        },
        error);
}

bool ChartExporter::exportDrawing(const Drawing &draw, const QString &title, const QString &path, QSize size,
                                  QString *error, qreal scale)
{
    const QPalette palette = exportPalette();
    return writeFile(
        path, size, scale, title,
        [&](QPainter &painter, const QRectF &target) {
            painter.fillRect(target, palette.color(QPalette::Base));
            draw(painter, target, palette);
        },
        error);
}

} // namespace poisonlab::ui
