#include "charts/ChartExporter.h"

#include <QChart>
#include <QFileInfo>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace poisonlab::ui {

namespace {

// Renders the chart alone (not the view around it) into `painter` over `target`.
void renderChart(QChart *chart, QPainter *painter, const QRectF &target)
{
    QGraphicsScene *scene = chart->scene();
    const QRectF source = chart->sceneBoundingRect();
    if (scene)
        scene->render(painter, target, source);
}

} // namespace

QString ChartExporter::fileFilter()
{
    return QObject::tr("PNG image (*.png);;SVG vector image (*.svg)");
}

bool ChartExporter::exportChart(QChart *chart, const QString &path, QSize size, QString *error, qreal scale)
{
    auto fail = [&](const QString &why) {
        if (error)
            *error = QObject::tr("Cannot write %1: %2").arg(path, why);
        return false;
    };
    if (!chart || !chart->scene())
        return fail(QObject::tr("there is no chart to export"));
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg"))
        return fail(QObject::tr("unknown image type '%1' (use .png or .svg)").arg(suffix));
    if (!size.isValid() || size.isEmpty())
        size = chart->size().toSize();

    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    if (suffix == QLatin1String("svg")) {
        QSvgGenerator svg;
        svg.setOutputDevice(&file);
        svg.setSize(size);
        svg.setViewBox(QRect(QPoint(0, 0), size));
        svg.setTitle(chart->title().isEmpty() ? QStringLiteral("PoisonLab chart") : chart->title());
        svg.setDescription(QStringLiteral("Exported by PoisonLab"));
        QPainter painter(&svg);
        renderChart(chart, &painter, QRectF(QPointF(0, 0), QSizeF(size)));
        painter.end();
    } else {
        QImage image(size * scale, QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(scale);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setRenderHint(QPainter::TextAntialiasing);
        renderChart(chart, &painter, QRectF(QPointF(0, 0), QSizeF(size)));
        painter.end();
        if (!image.save(&file, "PNG"))
            return fail(QObject::tr("the PNG encoder failed"));
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

} // namespace poisonlab::ui
