#include "analysis/ClassPairHeatmap.h"

#include "charts/ChartExporter.h"
#include "poisonlab/core/report/Canvas.h"

#include <QFontMetricsF>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace poisonlab::ui {

struct ClassPairHeatmap::Layout {
    QRectF title;
    QRectF grid; ///< the cells
    double cell = 0;
    bool uprightColumns = false; ///< column names turned 90°, reading upwards
    QRectF rowAxis, columnAxis;  ///< where the axis titles go
    QRectF bar;                  ///< the colour bar
    QFont font, titleFont, cellFont;
};

namespace {

constexpr double kPad = 8;

QColor viridis(double t)
{
    const report::Colour c = report::viridis(t);
    return {c.r, c.g, c.b};
}

QString formatValue(GridMetric metric, double v, bool shortForm)
{
    if (metric == GridMetric::HitAtK)
        return shortForm ? QString::number(v * 100, 'f', 0) : QString::number(v * 100, 'f', 1) + QStringLiteral(" %");
    if (shortForm)
        return v >= 100 ? QString::number(v, 'f', 0) : QString::number(v, 'f', 1);
    return QString::number(v, 'g', 4);
}

} // namespace

ClassPairHeatmap::ClassPairHeatmap(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void ClassPairHeatmap::setGrid(std::shared_ptr<const analysis::MinRankGrid> grid)
{
    m_grid = std::move(grid);
    m_hovered.reset();
    m_pressed.reset();
    update();
}

void ClassPairHeatmap::setMetric(GridMetric metric)
{
    m_metric = metric;
    update();
}

std::optional<double> ClassPairHeatmap::value(int row, int column) const
{
    if (!m_grid || row < 0 || column < 0 || row >= int(m_grid->classes.size()) || column >= int(m_grid->classes.size()))
        return std::nullopt;
    const auto &m = m_metric == GridMetric::MinRank ? m_grid->minRankMean : m_grid->hitAtK;
    return m[std::size_t(row)][std::size_t(column)];
}

double ClassPairHeatmap::scaleMax() const
{
    if (m_metric == GridMetric::HitAtK || !m_grid)
        return 1.0;
    double top = 1.0;
    for (const auto &row : m_grid->minRankMean)
        for (const auto &v : row)
            if (v)
                top = std::max(top, *v);
    return top;
}

// MinRank spans 0 to hundreds: a log scale keeps the small ranks (where attacks live) apart.
double ClassPairHeatmap::colourPosition(double v) const
{
    if (m_metric == GridMetric::HitAtK)
        return std::clamp(v, 0.0, 1.0);
    return 1.0 - std::log1p(std::max(v, 0.0)) / std::log1p(scaleMax());
}

ClassPairHeatmap::Layout ClassPairHeatmap::layout(const QRectF &target, const QFont &font, bool withTitle,
                                                  bool centred) const
{
    Layout l;
    l.font = font;
    l.titleFont = font;
    l.titleFont.setPointSizeF(font.pointSizeF() * 1.35);
    l.titleFont.setBold(true);
    const QFontMetricsF fm(font);
    const int n = m_grid ? std::max<int>(1, int(m_grid->classes.size())) : 1;
    double widest = 0;
    if (m_grid)
        for (const auto &c : m_grid->classes)
            widest = std::max(widest, fm.horizontalAdvance(QString::fromStdString(c)));
    const double line = fm.height();
    const double titleHeight = withTitle ? QFontMetricsF(l.titleFont).height() * 1.6 : 0;
    const double left = target.left() + kPad + line + 6 + widest + 8;
    const double barReserve = 16 + 14 + 6 + fm.horizontalAdvance(QStringLiteral("1000 %")) + 6 + line + kPad;
    const double width = target.right() - left - barReserve;
    l.uprightColumns = widest + 6 > width / n;
    const double columnLabels = l.uprightColumns ? widest + 8 : line + 6;
    const double top = target.top() + kPad + titleHeight;
    const double height = target.bottom() - top - columnLabels - line - 6 - kPad;
    l.cell = std::clamp(std::min(width, height) / n, 4.0, 90.0);
    // An export centres the picture; on screen it stays at the left, under the tools.
    const double shift = centred ? std::max(0.0, (width - l.cell * n) / 2) : 0.0;
    l.grid = QRectF(left + shift, top, l.cell * n, l.cell * n);
    l.title = QRectF(target.left() + kPad, target.top() + kPad, target.width() - 2 * kPad, titleHeight);
    l.rowAxis = QRectF(target.left() + kPad + shift, l.grid.top(), line, l.grid.height());
    l.columnAxis = QRectF(l.grid.left(), l.grid.bottom() + columnLabels + 2, l.grid.width(), line + 4);
    l.bar = QRectF(l.grid.right() + 16, l.grid.top(), 14, l.grid.height());
    l.cellFont = font;
    l.cellFont.setPointSizeF(font.pointSizeF() * 0.85);
    return l;
}

std::optional<QPoint> ClassPairHeatmap::cellAt(const QPointF &pos) const
{
    if (!m_grid || m_grid->classes.empty())
        return std::nullopt;
    const Layout l = layout(QRectF(rect()), font(), false, false);
    if (!l.grid.contains(pos))
        return std::nullopt;
    const int n = int(m_grid->classes.size());
    const int column = std::min(n - 1, int((pos.x() - l.grid.left()) / l.cell));
    const int row = std::min(n - 1, int((pos.y() - l.grid.top()) / l.cell));
    return QPoint(column, row).transposed(); // (row, column)
}

QRectF ClassPairHeatmap::cellRect(int row, int column) const
{
    if (!m_grid || row < 0 || column < 0 || row >= int(m_grid->classes.size()) || column >= int(m_grid->classes.size()))
        return {};
    const Layout l = layout(QRectF(rect()), font(), false, false);
    return {l.grid.left() + column * l.cell, l.grid.top() + row * l.cell, l.cell, l.cell};
}

QString ClassPairHeatmap::cellText(int row, int column) const
{
    if (!m_grid || row < 0 || column < 0 || row >= int(m_grid->classes.size()) || column >= int(m_grid->classes.size()))
        return {};
    if (m_describe)
        return m_describe(row, column);
    const QString a = QString::fromStdString(m_grid->classes[std::size_t(row)]);
    const QString b = QString::fromStdString(m_grid->classes[std::size_t(column)]);
    const auto &rank = m_grid->minRankMean[std::size_t(row)][std::size_t(column)];
    const auto &hit = m_grid->hitAtK[std::size_t(row)][std::size_t(column)];
    QString text = QStringLiteral("%1 → %2: ").arg(a, b);
    if (!rank && !hit)
        return text + tr("no value (no captions of %1 or no images of %2 in the evaluated split)").arg(a, b);
    text += tr("MinRank %1, Hit@%2 %3")
                .arg(rank ? formatValue(GridMetric::MinRank, *rank, false) : QStringLiteral("–"))
                .arg(m_grid->hitK)
                .arg(hit ? formatValue(GridMetric::HitAtK, *hit, false) : QStringLiteral("–"));
    if (row < int(m_grid->queries.size()))
        text += tr(" (%1 captions of %2)").arg(m_grid->queries[std::size_t(row)]).arg(a);
    if (row == column)
        text += tr(" — the class's own retrieval");
    return text;
}

QString ClassPairHeatmap::hoverText() const
{
    return m_hovered ? cellText(m_hovered->x(), m_hovered->y()) : QString();
}

void ClassPairHeatmap::paintGrid(QPainter &p, const QRectF &target, const QPalette &palette, const QString &title) const
{
    paint(p, layout(target, p.font(), !title.isEmpty(), true), palette, title, std::nullopt);
}

void ClassPairHeatmap::paint(QPainter &p, const Layout &l, const QPalette &palette, const QString &title,
                             std::optional<QPoint> hovered) const
{
    const QColor ink = palette.color(QPalette::WindowText);
    if (!title.isEmpty()) {
        p.setFont(l.titleFont);
        p.setPen(ink);
        p.drawText(l.title, Qt::AlignHCenter | Qt::AlignVCenter, title);
    }
    if (!m_grid || m_grid->classes.empty())
        return;
    const int n = int(m_grid->classes.size());
    const QFontMetricsF cellMetrics(l.cellFont);
    const bool annotate =
        cellMetrics.horizontalAdvance(QStringLiteral("88.8")) + 6 <= l.cell && cellMetrics.height() + 4 <= l.cell;
    p.setFont(l.cellFont);
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c) {
            const QRectF cell(l.grid.left() + c * l.cell, l.grid.top() + r * l.cell, l.cell, l.cell);
            const auto v = value(r, c);
            if (!v) {
                p.fillRect(cell, palette.color(QPalette::Window));
                p.fillRect(cell, QBrush(palette.color(QPalette::Mid), Qt::BDiagPattern));
                continue;
            }
            const QColor fill = viridis(colourPosition(*v));
            p.fillRect(cell, fill);
            if (annotate) {
                p.setPen(fill.lightnessF() < 0.55 ? Qt::white : Qt::black);
                p.drawText(cell, Qt::AlignCenter, formatValue(m_metric, *v, true));
            }
        }
    p.setPen(QPen(palette.color(QPalette::Mid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(l.grid);
    paintLabels(p, l, palette, hovered);
    paintColourBar(p, l, palette);
}

void ClassPairHeatmap::paintLabels(QPainter &p, const Layout &l, const QPalette &palette,
                                   std::optional<QPoint> bold) const
{
    const int n = int(m_grid->classes.size());
    const QColor ink = palette.color(QPalette::WindowText);
    p.setFont(l.font);
    p.setPen(ink);
    for (int i = 0; i < n; ++i) {
        const QString name = QString::fromStdString(m_grid->classes[std::size_t(i)]);
        QFont rowFont = l.font, columnFont = l.font;
        rowFont.setBold(bold && bold->x() == i);
        columnFont.setBold(bold && bold->y() == i);
        p.setFont(rowFont);
        const double y = l.grid.top() + i * l.cell;
        p.drawText(QRectF(l.rowAxis.right() + 6, y, l.grid.left() - l.rowAxis.right() - 12, l.cell),
                   Qt::AlignRight | Qt::AlignVCenter, name);
        const double x = l.grid.left() + i * l.cell;
        p.setFont(columnFont);
        if (l.uprightColumns) {
            const double room = l.columnAxis.top() - l.grid.bottom();
            p.save();
            p.translate(x + l.cell / 2, l.grid.bottom() + 4);
            p.rotate(-90);
            // Turned, x runs upwards: the name ends just below the grid and reads bottom to top.
            p.drawText(QRectF(-(room - 4), -l.cell / 2, room - 6, l.cell), Qt::AlignRight | Qt::AlignVCenter, name);
            p.restore();
        } else {
            p.drawText(QRectF(x, l.grid.bottom() + 3, l.cell, l.columnAxis.top() - l.grid.bottom()),
                       Qt::AlignHCenter | Qt::AlignTop, name);
        }
    }
    QFont axisFont = l.font;
    axisFont.setBold(true);
    p.setFont(axisFont);
    p.drawText(l.columnAxis, Qt::AlignCenter, tr("B: target images of this class"));
    p.save();
    p.translate(l.rowAxis.center());
    p.rotate(-90);
    p.drawText(QRectF(-l.rowAxis.height() / 2, -l.rowAxis.width() / 2, l.rowAxis.height(), l.rowAxis.width()),
               Qt::AlignCenter, tr("A: query captions of this class"));
    p.restore();
}

void ClassPairHeatmap::paintColourBar(QPainter &p, const Layout &l, const QPalette &palette) const
{
    const QRectF bar = l.bar;
    // Top = bright = the goal met (low MinRank, high Hit@K).
    const int steps = std::max(2, int(bar.height()));
    for (int i = 0; i < steps; ++i) {
        const double t = 1.0 - double(i) / (steps - 1);
        p.fillRect(QRectF(bar.left(), bar.top() + bar.height() * i / steps, bar.width(), bar.height() / steps + 1),
                   viridis(t));
    }
    p.setPen(QPen(palette.color(QPalette::Mid), 1));
    p.setBrush(Qt::NoBrush);
    p.drawRect(bar);
    QList<double> ticks;
    if (m_metric == GridMetric::HitAtK) {
        ticks = {0, 0.25, 0.5, 0.75, 1.0};
    } else {
        for (double v : {0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0})
            if (v <= scaleMax())
                ticks << v;
    }
    p.setFont(l.font);
    p.setPen(palette.color(QPalette::WindowText));
    const QFontMetricsF fm(l.font);
    double labelsRight = bar.right();
    for (double v : ticks) {
        const double y = bar.bottom() - colourPosition(v) * bar.height();
        p.drawLine(QPointF(bar.right(), y), QPointF(bar.right() + 4, y));
        const QString text = m_metric == GridMetric::HitAtK ? QString::number(v * 100, 'f', 0) + QStringLiteral(" %")
                                                            : QString::number(v, 'g', 5);
        p.drawText(QRectF(bar.right() + 6, y - fm.height() / 2, fm.horizontalAdvance(text) + 2, fm.height()),
                   Qt::AlignLeft | Qt::AlignVCenter, text);
        labelsRight = std::max(labelsRight, bar.right() + 8 + fm.horizontalAdvance(text));
    }
    const QString caption = m_metric == GridMetric::HitAtK ? tr("Hit@%1 (share of A's captions)").arg(m_grid->hitK)
                                                           : tr("MinRank (mean; log scale, 0 is best)");
    p.save();
    p.translate(labelsRight + 6 + fm.height() / 2, bar.center().y());
    p.rotate(90);
    p.drawText(QRectF(-bar.height() / 2, -fm.height() / 2, bar.height(), fm.height()), Qt::AlignCenter, caption);
    p.restore();
}

void ClassPairHeatmap::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing, false);
    p.setFont(font());
    paint(p, layout(QRectF(rect()), font(), false, false), palette(), QString(), m_hovered);
    if (m_hovered) {
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(palette().color(QPalette::Highlight), 3));
        p.setBrush(Qt::NoBrush);
        p.drawRect(cellRect(m_hovered->x(), m_hovered->y()).adjusted(1, 1, -1, -1));
    }
}

void ClassPairHeatmap::setHovered(std::optional<QPoint> cell)
{
    if (cell == m_hovered)
        return;
    m_hovered = cell;
    update();
    Q_EMIT cellHovered(cell ? cell->x() : -1, cell ? cell->y() : -1);
}

void ClassPairHeatmap::mouseMoveEvent(QMouseEvent *event)
{
    const auto cell = cellAt(event->position());
    setHovered(cell);
    if (cell)
        QToolTip::showText(event->globalPosition().toPoint(), cellText(cell->x(), cell->y()), this);
    else
        QToolTip::hideText();
}

void ClassPairHeatmap::mousePressEvent(QMouseEvent *event)
{
    m_pressed = event->button() == Qt::LeftButton ? cellAt(event->position()) : std::nullopt;
}

void ClassPairHeatmap::mouseReleaseEvent(QMouseEvent *event)
{
    const auto cell = event->button() == Qt::LeftButton ? cellAt(event->position()) : std::nullopt;
    if (cell && cell == m_pressed)
        Q_EMIT cellClicked(cell->x(), cell->y());
    m_pressed.reset();
}

void ClassPairHeatmap::leaveEvent(QEvent *)
{
    setHovered(std::nullopt);
}

bool ClassPairHeatmap::exportTo(const QString &path, QSize size, const QString &title, QString *error) const
{
    return ChartExporter::exportDrawing(
        [this, title](QPainter &painter, const QRectF &target, const QPalette &palette) {
            QFont font = painter.font();
            font.setPointSizeF(11); // slide-sized
            painter.setFont(font);
            paintGrid(painter, target, palette, title);
        },
        title, path, size, error);
}

} // namespace poisonlab::ui
