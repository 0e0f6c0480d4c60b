#pragma once

#include "analysis/EmbeddingGallery.h"
#include "analysis/EmbeddingGridIndex.h"
#include "analysis/EmbeddingMapData.h"
#include "analysis/EmbeddingMapViewport.h"

#include <QList>
#include <QPointer>
#include <QWidget>

#include <vector>

namespace poisonlab::ui {

struct EmbeddingMapScene;

class ThumbnailCache;

/// A 2-D embedding map drawn by hand (Qt Charts' scatter lags at COCO's 30,000 points):
/// a binned density image while many points are visible, single markers (images ●, captions ▲)
/// once few are; a uniform grid index answers hover and rubber-band selection.
///
/// Drag pans, the wheel zooms around the cursor, a double click resets; Shift+drag (or drag in
/// select mode) selects the points inside and emits pairsSelected(); a click on a legend entry
/// hides or shows its group (hidden points are neither drawn nor hit). Hovering a point shows
/// its image's thumbnail or its caption's text.
class EmbeddingMapView : public QWidget {
    Q_OBJECT
public:
    explicit EmbeddingMapView(QWidget *parent = nullptr);

    /// Replaces the points and legend groups (MapPoint::group indexes `groups`). The selection
    /// is kept by (modality, row); `keepView` keeps pan and zoom (a recolouring), else the view fits.
    void setPoints(QVector<MapPoint> points, QVector<MapGroup> groups, bool keepView = false);
    const QVector<MapPoint> &points() const { return m_points; }
    const QVector<MapGroup> &groups() const { return m_groups; }
    /// Hover details: caption texts and class names; thumbnails from `cache`, whose dataset must be
    /// the gallery's thumbnailDataset (image k = image row k).
    void setGallery(EmbeddingGalleryPtr gallery, ThumbnailCache *cache);
    void setTitle(const QString &title);
    QString title() const { return m_title; }
    void setAxisName(const QString &name); ///< "t-SNE", "PC"
    void setEmptyText(const QString &text);
    /// More visible points than this are drawn as the density image (default 4000).
    void setPointThreshold(int count);
    int pointThreshold() const { return m_threshold; }
    /// Whether the current view draws the density image (more visible points than the threshold).
    bool usesDensity() const;

    EmbeddingMapViewport viewport() const;
    void resetView();
    void zoomAt(QPointF widgetPos, double factor);
    void panBy(QPointF pixels);

    /// The visible point nearest to `widgetPos` within kHoverRadius pixels, or -1.
    int pointAt(QPointF widgetPos) const;
    /// The visible points inside a widget rectangle, in increasing index order.
    QVector<int> pointsIn(const QRectF &widgetRect) const;
    int hoveredPoint() const { return m_hovered; }
    /// Hovers the point under `widgetPos` (what a mouse move does).
    void hoverAt(QPointF widgetPos);

    void setGroupVisible(int group, bool visible);
    bool isGroupVisible(int group) const;
    /// The legend entry under `widgetPos`, or -1.
    int legendEntryAt(QPointF widgetPos) const;

    /// Selects the visible points inside a widget rectangle and emits pairsSelected().
    void selectRect(const QRectF &widgetRect);
    /// Selects these rows without emitting (how a linked map follows another).
    void setSelection(const QList<int> &captionRows, const QList<int> &imageRows);
    void clearSelection();
    QList<int> selectedCaptionRows() const;
    QList<int> selectedImageRows() const;
    void setSelectMode(bool on);
    bool selectMode() const { return m_selectMode; }

    /// Paints the map alone (no hover card) — exports and side-by-side figures use it. Returns
    /// whether the density image was drawn (else single markers).
    bool render(QPainter &painter, const QRectF &area, const QPalette &palette, bool vector) const;
    /// PNG (at `scale` x) or SVG by the suffix, written atomically, in a light theme.
    bool exportTo(const QString &path, QSize size, QString *error = nullptr, qreal scale = 2.0) const;
    /// Several maps side by side in one PNG/SVG of `size` (each gets an equal share of the width).
    static bool exportMaps(const QList<const EmbeddingMapView *> &maps, const QString &path, QSize size,
                           QString *error = nullptr, qreal scale = 2.0);

    static constexpr double kHoverRadius = 8;

Q_SIGNALS:
    /// A rubber-band selection by the user: rows of the run's evaluation gallery.
    void pairsSelected(const QList<int> &captionRows, const QList<int> &imageRows);
    void hoveredChanged(int point);
    void groupVisibilityChanged(int group, bool visible);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void mouseDoubleClickEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void leaveEvent(QEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void contextMenuEvent(QContextMenuEvent *event) override;

private:
    QList<int> selectedRows(MapModality modality) const;
    EmbeddingMapViewport viewportFor(const QRectF &area) const;
    /// What the painter draws: this view's points, groups, selection and texts, `hovered` marked.
    EmbeddingMapScene sceneOf(int hovered) const;
    EmbeddingGridIndex::Filter visibleFilter() const;
    void paintHoverCard(QPainter &painter) const;
    void exportInteractively();
    void applySelection(const QVector<int> &points);

    QVector<MapPoint> m_points;
    QVector<MapGroup> m_groups;
    EmbeddingGridIndex m_index;
    std::vector<int> m_imagePoint, m_captionPoint; ///< row -> point, -1
    std::vector<char> m_selected;                  ///< per point
    EmbeddingGalleryPtr m_gallery;
    QPointer<ThumbnailCache> m_thumbs;
    QString m_title, m_axisName, m_emptyText;
    int m_threshold = 4000;
    QPointF m_center;
    double m_zoom = 1; ///< relative to the fitted scale
    int m_hovered = -1;
    bool m_selectMode = false;
    enum class Drag { None, Pan, Select } m_drag = Drag::None;
    QPointF m_dragStart, m_dragLast;
    QRectF m_rubberBand;
};

} // namespace poisonlab::ui
