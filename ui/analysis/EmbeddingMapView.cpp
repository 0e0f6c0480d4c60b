#include "analysis/EmbeddingMapView.h"

#include "charts/ChartExportDialog.h"

#include "analysis/EmbeddingMapPainter.h"
#include "browser/ThumbnailCache.h"
#include "charts/ChartExporter.h"

#include <QContextMenuEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTextLayout>
#include <QWheelEvent>

#include <cmath>

namespace poisonlab::ui {

namespace {

constexpr QSize kThumbBound(112, 112);
constexpr double kCardTextWidth = 260;

} // namespace

EmbeddingMapView::EmbeddingMapView(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    setMinimumSize(260, 220);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setToolTip(QString()); // the hover card replaces tooltips
}

void EmbeddingMapView::setPoints(QVector<MapPoint> points, QVector<MapGroup> groups, bool keepView)
{
    // Keep the selection by (modality, row) across a recolouring or a new projection.
    const QList<int> captions = selectedCaptionRows(), images = selectedImageRows();
    m_points = std::move(points);
    m_groups = std::move(groups);
    for (MapPoint &p : m_points)
        p.group = std::clamp(p.group, 0, int(std::max<qsizetype>(m_groups.size(), 1) - 1));
    if (m_groups.isEmpty())
        m_groups.push_back({tr("Points"), palette().color(QPalette::Highlight), true});
    m_index.build(m_points);
    m_imagePoint.clear();
    m_captionPoint.clear();
    for (qsizetype i = 0; i < m_points.size(); ++i) {
        auto &map = m_points[i].modality == MapModality::Image ? m_imagePoint : m_captionPoint;
        const int row = m_points[i].row;
        if (row < 0)
            continue;
        if (std::size_t(row) >= map.size())
            map.resize(std::size_t(row) + 1, -1);
        map[std::size_t(row)] = int(i);
    }
    m_hovered = -1;
    setSelection(captions, images);
    if (!keepView)
        resetView();
    update();
}

void EmbeddingMapView::setGallery(EmbeddingGalleryPtr gallery, ThumbnailCache *cache)
{
    m_gallery = std::move(gallery);
    if (m_thumbs)
        disconnect(m_thumbs, nullptr, this, nullptr);
    m_thumbs = cache;
    if (cache)
        connect(cache, &ThumbnailCache::thumbnailReady, this, [this](int image, QSize) {
            if (m_hovered >= 0 && m_points[m_hovered].modality == MapModality::Image &&
                m_points[m_hovered].row == image)
                update();
        });
}

void EmbeddingMapView::setTitle(const QString &title)
{
    m_title = title;
    update();
}

void EmbeddingMapView::setAxisName(const QString &name)
{
    m_axisName = name;
    update();
}

void EmbeddingMapView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    update();
}

void EmbeddingMapView::setPointThreshold(int count)
{
    m_threshold = count;
    update();
}

bool EmbeddingMapView::usesDensity() const
{
    return EmbeddingMapPainter::visibleCount(m_points, m_groups, viewport()) > m_threshold;
}

EmbeddingMapViewport EmbeddingMapView::viewportFor(const QRectF &area) const
{
    const QRectF plot = EmbeddingMapPainter::plotRect(area, font());
    EmbeddingMapViewport v = EmbeddingMapViewport::fitting(m_index.bounds(), plot);
    v.scale *= m_zoom;
    if (!m_index.isEmpty())
        v.center = m_center;
    return v;
}

EmbeddingMapViewport EmbeddingMapView::viewport() const
{
    return viewportFor(QRectF(rect()));
}

void EmbeddingMapView::resetView()
{
    m_zoom = 1;
    m_center = m_index.bounds().center();
    update();
}

void EmbeddingMapView::zoomAt(QPointF widgetPos, double factor)
{
    const EmbeddingMapViewport before = viewport();
    const QPointF anchor = before.toData(widgetPos);
    m_zoom = std::clamp(m_zoom * factor, 0.2, 5000.0);
    // Keep the data point under the cursor where it was.
    const double scale = viewport().scale; // the new zoom's (the scale does not depend on the centre)
    m_center = QPointF(anchor.x() - (widgetPos.x() - before.plot.center().x()) / scale,
                       anchor.y() + (widgetPos.y() - before.plot.center().y()) / scale);
    update();
}

void EmbeddingMapView::panBy(QPointF pixels)
{
    const double scale = viewport().scale;
    m_center -= QPointF(pixels.x() / scale, -pixels.y() / scale);
    update();
}

EmbeddingGridIndex::Filter EmbeddingMapView::visibleFilter() const
{
    return [this](int i) { return m_groups[m_points[i].group].visible; };
}

int EmbeddingMapView::pointAt(QPointF widgetPos) const
{
    const EmbeddingMapViewport v = viewport();
    if (!v.plot.contains(widgetPos))
        return -1;
    return m_index.nearest(v.toData(widgetPos), kHoverRadius / v.scale, visibleFilter());
}

QVector<int> EmbeddingMapView::pointsIn(const QRectF &widgetRect) const
{
    return m_index.inRect(viewport().toData(widgetRect.normalized()), visibleFilter());
}

void EmbeddingMapView::hoverAt(QPointF widgetPos)
{
    const int hit = legendEntryAt(widgetPos) >= 0 ? -1 : pointAt(widgetPos);
    if (hit == m_hovered)
        return;
    m_hovered = hit;
    update();
    Q_EMIT hoveredChanged(hit);
}

void EmbeddingMapView::setGroupVisible(int group, bool visible)
{
    if (group < 0 || group >= m_groups.size() || m_groups[group].visible == visible)
        return;
    m_groups[group].visible = visible;
    if (m_hovered >= 0 && m_points[m_hovered].group == group && !visible)
        m_hovered = -1;
    update();
    Q_EMIT groupVisibilityChanged(group, visible);
}

bool EmbeddingMapView::isGroupVisible(int group) const
{
    return group >= 0 && group < m_groups.size() && m_groups[group].visible;
}

int EmbeddingMapView::legendEntryAt(QPointF widgetPos) const
{
    const QVector<QRectF> rects = EmbeddingMapPainter::legendRects(m_groups, viewport().plot, font());
    for (qsizetype i = 0; i < rects.size(); ++i)
        if (rects[i].contains(widgetPos))
            return int(i);
    return -1;
}

void EmbeddingMapView::applySelection(const QVector<int> &points)
{
    m_selected.assign(std::size_t(m_points.size()), 0);
    for (int i : points)
        m_selected[std::size_t(i)] = 1;
    update();
}

void EmbeddingMapView::selectRect(const QRectF &widgetRect)
{
    applySelection(pointsIn(widgetRect));
    Q_EMIT pairsSelected(selectedCaptionRows(), selectedImageRows());
}

void EmbeddingMapView::setSelection(const QList<int> &captionRows, const QList<int> &imageRows)
{
    QVector<int> points;
    auto add = [&](const std::vector<int> &map, const QList<int> &rows) {
        for (int r : rows)
            if (r >= 0 && std::size_t(r) < map.size() && map[std::size_t(r)] >= 0)
                points.push_back(map[std::size_t(r)]);
    };
    add(m_captionPoint, captionRows);
    add(m_imagePoint, imageRows);
    applySelection(points);
}

void EmbeddingMapView::clearSelection()
{
    applySelection({});
}

QList<int> EmbeddingMapView::selectedRows(MapModality modality) const
{
    QList<int> rows;
    for (std::size_t i = 0; i < m_selected.size(); ++i)
        if (m_selected[i] && m_points[qsizetype(i)].modality == modality)
            rows << m_points[qsizetype(i)].row;
    std::sort(rows.begin(), rows.end());
    return rows;
}

QList<int> EmbeddingMapView::selectedCaptionRows() const
{
    return selectedRows(MapModality::Caption);
}

QList<int> EmbeddingMapView::selectedImageRows() const
{
    return selectedRows(MapModality::Image);
}

void EmbeddingMapView::setSelectMode(bool on)
{
    m_selectMode = on;
    setCursor(on ? Qt::CrossCursor : Qt::ArrowCursor);
}

EmbeddingMapScene EmbeddingMapView::sceneOf(int hovered) const
{
    EmbeddingMapScene scene;
    scene.points = &m_points;
    scene.groups = &m_groups;
    scene.selected = &m_selected;
    scene.hovered = hovered;
    scene.pointThreshold = m_threshold;
    scene.title = m_title;
    scene.axisName = m_axisName;
    scene.emptyText = m_emptyText;
    return scene;
}

bool EmbeddingMapView::render(QPainter &painter, const QRectF &area, const QPalette &pal, bool vector) const
{
    const EmbeddingMapScene scene = sceneOf(-1); // exports show no hover
    painter.save();
    painter.setFont(font());
    const bool density = EmbeddingMapPainter::paint(painter, area, scene, viewportFor(area), pal, vector);
    painter.restore();
    return density;
}

void EmbeddingMapView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    EmbeddingMapPainter::paint(p, QRectF(rect()), sceneOf(m_hovered), viewport(), palette(), false);
    if (!m_rubberBand.isNull()) {
        QColor fill = palette().color(QPalette::Highlight);
        fill.setAlpha(40);
        p.setPen(QPen(palette().color(QPalette::Highlight), 1, Qt::DashLine));
        p.setBrush(fill);
        p.drawRect(m_rubberBand.normalized());
    }
    paintHoverCard(p);
}

// The hovered point's card: its thumbnail (images) or its text (captions), its class, and
// whether it is a target or poisoned; placed beside the point, inside the widget.
void EmbeddingMapView::paintHoverCard(QPainter &p) const
{
    if (m_hovered < 0 || !m_gallery)
        return;
    const MapPoint &pt = m_points[m_hovered];
    const bool image = pt.modality == MapModality::Image;
    QString heading, body;
    QPixmap thumb;
    int cls = -1;
    if (image && std::size_t(pt.row) < m_gallery->images.size()) {
        const auto &im = m_gallery->images[std::size_t(pt.row)];
        cls = im.classIndex;
        heading = tr("Image %1").arg(pt.row);
        body = QFileInfo(im.path).fileName();
        if (m_gallery->targetImageRows.contains(pt.row))
            heading += tr(" · target");
        if (m_thumbs && m_thumbs->dataset())
            thumb = m_thumbs->thumbnail(pt.row, kThumbBound);
    } else if (!image && std::size_t(pt.row) < m_gallery->captions.size()) {
        const auto &c = m_gallery->captions[std::size_t(pt.row)];
        cls = c.classIndex;
        heading = tr("Caption %1").arg(pt.row);
        if (c.poisoned)
            heading += tr(" · poisoned");
        body = QStringLiteral("“%1”").arg(c.text);
    }
    if (cls >= 0 && cls < m_gallery->classes.size())
        heading += QStringLiteral(" · ") + m_gallery->classes[cls];
    const QFontMetricsF fm(font());
    const double pad = 6;
    const QRectF textBounds = fm.boundingRect(QRectF(0, 0, kCardTextWidth, 400), Qt::TextWordWrap, body);
    QFont bold = font();
    bold.setBold(true);
    const double headW = QFontMetricsF(bold).horizontalAdvance(heading);
    const double w =
        std::max({headW, textBounds.width(), thumb.isNull() ? 0.0 : double(kThumbBound.width())}) + 2 * pad;
    const double thumbH = thumb.isNull() ? 0 : thumb.height() / thumb.devicePixelRatioF() + pad;
    const double h = fm.height() + pad + thumbH + textBounds.height() + 2 * pad;
    const QPointF at = viewport().toPixel(pt.x, pt.y);
    QRectF card(at + QPointF(14, 14), QSizeF(w, h));
    if (card.right() > width() - 4)
        card.moveRight(at.x() - 14);
    if (card.bottom() > height() - 4)
        card.moveBottom(at.y() - 14);
    card.moveLeft(std::max(4.0, card.left()));
    card.moveTop(std::max(4.0, card.top()));
    p.setPen(QPen(palette().color(QPalette::Mid), 1));
    p.setBrush(palette().color(QPalette::ToolTipBase));
    p.drawRoundedRect(card, 4, 4);
    p.setPen(palette().color(QPalette::ToolTipText));
    p.setFont(bold);
    p.drawText(QRectF(card.left() + pad, card.top() + pad, w - 2 * pad, fm.height()), Qt::AlignLeft, heading);
    p.setFont(font());
    double y = card.top() + pad + fm.height() + pad;
    if (!thumb.isNull()) {
        p.drawPixmap(QPointF(card.left() + pad, y), thumb);
        y += thumbH;
    }
    p.drawText(QRectF(card.left() + pad, y, kCardTextWidth, textBounds.height()), Qt::TextWordWrap, body);
}

void EmbeddingMapView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_hovered = -1;
}

void EmbeddingMapView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const int legend = legendEntryAt(event->position());
    if (legend >= 0) {
        setGroupVisible(legend, !isGroupVisible(legend));
        return;
    }
    m_dragStart = m_dragLast = event->position();
    m_drag = (m_selectMode || (event->modifiers() & Qt::ShiftModifier)) ? Drag::Select : Drag::Pan;
    if (m_drag == Drag::Pan)
        setCursor(Qt::ClosedHandCursor);
}

void EmbeddingMapView::mouseMoveEvent(QMouseEvent *event)
{
    const QPointF pos = event->position();
    if (m_drag == Drag::Pan) {
        panBy(pos - m_dragLast);
        m_dragLast = pos;
    } else if (m_drag == Drag::Select) {
        m_rubberBand = QRectF(m_dragStart, pos);
        update();
    } else {
        hoverAt(pos);
    }
}

void EmbeddingMapView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_drag == Drag::Select) {
        const QRectF band = QRectF(m_dragStart, event->position()).normalized();
        m_rubberBand = QRectF();
        if (band.width() < 3 && band.height() < 3) {
            // A click selects the point under it (or clears the selection).
            const int hit = pointAt(event->position());
            applySelection(hit >= 0 ? QVector<int>{hit} : QVector<int>{});
            Q_EMIT pairsSelected(selectedCaptionRows(), selectedImageRows());
        } else {
            selectRect(band);
        }
    }
    m_drag = Drag::None;
    setCursor(m_selectMode ? Qt::CrossCursor : Qt::ArrowCursor);
}

void EmbeddingMapView::mouseDoubleClickEvent(QMouseEvent *event)
{
    if (legendEntryAt(event->position()) < 0)
        resetView();
}

void EmbeddingMapView::wheelEvent(QWheelEvent *event)
{
    zoomAt(event->position(), std::pow(1.0015, event->angleDelta().y()));
    hoverAt(event->position());
}

void EmbeddingMapView::leaveEvent(QEvent *event)
{
    QWidget::leaveEvent(event);
    if (m_hovered >= 0) {
        m_hovered = -1;
        update();
        Q_EMIT hoveredChanged(-1);
    }
}

void EmbeddingMapView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Escape && !m_selected.empty()) {
        clearSelection();
        Q_EMIT pairsSelected({}, {});
        return;
    }
    QWidget::keyPressEvent(event);
}

void EmbeddingMapView::contextMenuEvent(QContextMenuEvent *event)
{
    QMenu menu(this);
    menu.addAction(tr("Reset View"), this, &EmbeddingMapView::resetView);
    QAction *select = menu.addAction(tr("Select Mode (or Shift+Drag)"));
    select->setCheckable(true);
    select->setChecked(m_selectMode);
    connect(select, &QAction::toggled, this, &EmbeddingMapView::setSelectMode);
    menu.addAction(tr("Clear Selection"), this, [this] {
        clearSelection();
        Q_EMIT pairsSelected({}, {});
    });
    menu.addSeparator();
    menu.addAction(tr("Export…"), this, &EmbeddingMapView::exportInteractively);
    menu.exec(event->globalPos());
}

bool EmbeddingMapView::exportTo(const QString &path, QSize size, QString *error, qreal scale) const
{
    return exportMaps({this}, path, size.isValid() && !size.isEmpty() ? size : this->size(), error, scale);
}

// Through ChartExporter like every chart: PNG (scale x size), SVG or PDF, light, atomic. Vector
// formats get single markers; a PNG may use the density image as the screen does.
bool EmbeddingMapView::exportMaps(const QList<const EmbeddingMapView *> &maps, const QString &path, QSize size,
                                  QString *error, qreal scale)
{
    if (maps.isEmpty() || !size.isValid() || size.isEmpty()) {
        if (error)
            *error = tr("Cannot write %1: there is no map to export").arg(path);
        return false;
    }
    const bool vector =
        ChartExporter::formatOf(path).value_or(ChartExporter::Format::Png) != ChartExporter::Format::Png;
    const QString title =
        maps.first()->title().isEmpty() ? QStringLiteral("PoisonLab embedding map") : maps.first()->title();
    return ChartExporter::exportDrawing(
        [&maps, vector](QPainter &painter, const QRectF &target, const QPalette &palette) {
            const double w = target.width() / double(maps.size());
            for (qsizetype i = 0; i < maps.size(); ++i)
                maps[i]->render(painter, QRectF(target.left() + w * double(i), target.top(), w, target.height()),
                                palette, vector);
        },
        title, path, size, error, scale);
}

void EmbeddingMapView::exportInteractively()
{
    ChartExportDialog::run(
        this, [this](const QString &path, QSize size, QString *error) { return exportTo(path, size, error); },
        QStringLiteral("embedding-map"));
}

} // namespace poisonlab::ui
