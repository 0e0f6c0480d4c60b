#include "charts/LineChartWidget.h"

#include "style/StatusColors.h"

#include "charts/ChartExportDialog.h"
#include "charts/ChartExporter.h"

#include <QChart>
#include <QChartView>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QRegularExpression>
#include <QStackedLayout>
#include <QVBoxLayout>
#include <QValueAxis>

#include <algorithm>

namespace poisonlab::ui {

LineChartWidget::LineChartWidget(const QString &xTitle, const QString &yTitle, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto *tools = new QHBoxLayout;
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Save the chart as PNG, SVG or PDF (light, for slides)"));
    tools->addStretch(1);
    tools->addWidget(exportButton);

    auto *chart = new QChart;
    // A dark chart in a dark window; exports are re-themed light for the file only (ChartExporter).
    chart->setTheme(StatusColors::isDark(palette()) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setMargins(QMargins(4, 4, 4, 4));
    chart->legend()->setAlignment(Qt::AlignBottom);
    m_x = new QValueAxis;
    m_x->setTitleText(xTitle);
    m_x->setLabelFormat(QStringLiteral("%g"));
    m_y = new QValueAxis;
    m_y->setTitleText(yTitle);
    m_y->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
    m_view = new QChartView(chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(160);
    m_placeholder = new QLabel(this);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setStyleSheet(QStringLiteral("color: palette(mid);"));

    m_stack = new QStackedLayout;
    m_stack->addWidget(m_view);
    m_stack->addWidget(m_placeholder);
    layout->addLayout(m_stack, 1);
    layout->addLayout(tools);
    connect(exportButton, &QPushButton::clicked, this, &LineChartWidget::exportInteractively);
    fitAxes();
}

QChart *LineChartWidget::chart() const
{
    return m_view->chart();
}

int LineChartWidget::seriesCount() const
{
    return static_cast<int>(chart()->series().size());
}

QLineSeries *LineChartWidget::series(int index) const
{
    const auto all = chart()->series();
    return index >= 0 && index < all.size() ? qobject_cast<QLineSeries *>(all[index]) : nullptr;
}

void LineChartWidget::setTitle(const QString &title)
{
    chart()->setTitle(title);
}

void LineChartWidget::setPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
    m_stack->setCurrentWidget(text.isEmpty() ? static_cast<QWidget *>(m_view) : m_placeholder);
}

QString LineChartWidget::placeholder() const
{
    return m_stack->currentWidget() == m_placeholder ? m_placeholder->text() : QString();
}

void LineChartWidget::setXRange(std::optional<std::pair<double, double>> range)
{
    m_xRange = range;
    fitAxes();
}

void LineChartWidget::setYRange(std::optional<std::pair<double, double>> range)
{
    m_yRange = range;
    fitAxes();
}

QLineSeries *LineChartWidget::addLine(const QString &name)
{
    auto *line = new QLineSeries;
    line->setName(name);
    chart()->addSeries(line);
    line->attachAxis(m_x);
    line->attachAxis(m_y);
    return line;
}

void LineChartWidget::removeAllSeries()
{
    chart()->removeAllSeries();
    m_haveData = false;
    fitAxes();
}

void LineChartWidget::setSeries(const QList<ChartSeries> &series)
{
    chart()->removeAllSeries();
    m_haveData = false;
    for (const ChartSeries &s : series)
        appendPoints(seriesCount(), s.points, s.name);
    chart()->legend()->setVisible(series.size() > 1);
    fitAxes();
}

void LineChartWidget::appendPoints(int index, const QList<QPointF> &points, const QString &name)
{
    while (seriesCount() <= index)
        addLine(name);
    QLineSeries *line = series(index);
    line->append(points); // one call: one repaint for the whole batch
    for (const QPointF &p : points) {
        if (!m_haveData) {
            m_minX = m_maxX = p.x();
            m_minY = m_maxY = p.y();
            m_haveData = true;
        }
        m_minX = std::min(m_minX, p.x());
        m_maxX = std::max(m_maxX, p.x());
        m_minY = std::min(m_minY, p.y());
        m_maxY = std::max(m_maxY, p.y());
    }
}

void LineChartWidget::fitAxes()
{
    double x0 = m_haveData ? m_minX : 0, x1 = m_haveData ? m_maxX : 1;
    double y0 = m_haveData ? m_minY : 0, y1 = m_haveData ? m_maxY : 1;
    if (x1 <= x0)
        x1 = x0 + 1;
    if (y1 <= y0) {
        y0 -= 0.5;
        y1 += 0.5;
    } else {
        const double pad = (y1 - y0) * 0.05; // keep lines off the frame
        y0 -= pad;
        y1 += pad;
    }
    if (m_xRange)
        std::tie(x0, x1) = *m_xRange;
    if (m_yRange)
        std::tie(y0, y1) = *m_yRange;
    m_x->setRange(x0, x1);
    m_y->setRange(y0, y1);
    // Round ends and ticks (0.5, 1, 1.5…) rather than the data's own extremes (2.91225…).
    if (!m_xRange && m_haveData)
        m_x->applyNiceNumbers();
    if (!m_yRange)
        m_y->applyNiceNumbers();
}

bool LineChartWidget::exportTo(const QString &path, QString *error) const
{
    return exportTo(path, QSize(900, 560), error);
}

bool LineChartWidget::exportTo(const QString &path, QSize size, QString *error) const
{
    return ChartExporter::exportChart(chart(), path, size, error);
}

void LineChartWidget::exportInteractively()
{
    QString name = chart()->title().isEmpty() ? tr("chart") : chart()->title();
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9@._-]+")), QStringLiteral("-"));
    ChartExportDialog::run(
        this, [this](const QString &path, QSize size, QString *error) { return exportTo(path, size, error); }, name);
}

} // namespace poisonlab::ui
