#include "sweep/SweepChartsView.h"

#include "charts/LineChartWidget.h"
#include "results/ChartAxes.h"
#include "sweep/SweepChartSeries.h"

#include <QChart>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

namespace poisonlab::ui {

SweepChartsView::SweepChartsView(QWidget *parent) : QWidget(parent)
{
    m_xAxis = new QComboBox(this);
    m_xAxis->setToolTip(tr("The swept key along the x axis; the other keys' values give one line each"));
    m_k = new QComboBox(this);
    m_k->setToolTip(tr("K of Hit@K: the share of the goal's captions whose best target image ranks in the top K"));
    m_utilityMetric = new QComboBox(this);
    m_utilityMetric->addItem(SweepMetrics::name(SweepMetric::RMean), int(SweepMetric::RMean));
    m_utilityMetric->addItem(SweepMetrics::name(SweepMetric::R10), int(SweepMetric::R10));
    m_utilityMetric->setToolTip(tr("Utility: R_mean, the mean of R@1/5/10 both ways, or R@10 caption → image"));
    auto *tools = new QHBoxLayout;
    tools->addWidget(new QLabel(tr("Against:"), this));
    tools->addWidget(m_xAxis);
    tools->addSpacing(12);
    tools->addWidget(new QLabel(tr("Hit@"), this));
    tools->addWidget(m_k);
    tools->addSpacing(12);
    tools->addWidget(new QLabel(tr("Utility:"), this));
    tools->addWidget(m_utilityMetric);
    tools->addStretch(1);

    m_hit = new LineChartWidget(tr("key"), tr("Hit@K"), this);
    m_minRank = new LineChartWidget(tr("key"), tr("MinRank (mean)"), this);
    m_utility = new LineChartWidget(tr("key"), tr("utility"), this);
    m_hit->setObjectName(QStringLiteral("sweepHitChart"));
    m_minRank->setObjectName(QStringLiteral("sweepMinRankChart"));
    m_utility->setObjectName(QStringLiteral("sweepUtilityChart"));
    auto *charts = new QHBoxLayout;
    for (LineChartWidget *chart : {m_hit, m_minRank, m_utility})
        charts->addWidget(chart, 1);

    m_positions = new QLabel(this);
    m_positions->setWordWrap(true);
    m_positions->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notPlotted = new QLabel(this);
    m_notPlotted->setWordWrap(true);
    m_notPlotted->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(tools);
    layout->addLayout(charts, 1);
    layout->addWidget(m_positions);
    layout->addWidget(m_notPlotted);

    connect(m_xAxis, &QComboBox::currentIndexChanged, this, &SweepChartsView::refresh);
    connect(m_utilityMetric, &QComboBox::currentIndexChanged, this, &SweepChartsView::refresh);
    connect(m_k, &QComboBox::currentIndexChanged, this, [this] {
        refresh();
        Q_EMIT hitKChanged(hitK());
    });
    setSweep(nullptr);
}

void SweepChartsView::setSweep(SweepDataPtr sweep)
{
    m_sweep = std::move(sweep);
    const QString key = m_xAxis->currentData().toString();
    const int k = hitK();
    {
        const QSignalBlocker blockAxis(m_xAxis), blockK(m_k);
        m_xAxis->clear();
        m_k->clear();
        if (m_sweep) {
            for (const auto &axis : m_sweep->index.axes)
                m_xAxis->addItem(SweepData::keyTitle(axis.key), QString::fromStdString(axis.key));
            for (int hk : SweepMetrics::hitKs(*m_sweep))
                m_k->addItem(QString::number(hk), hk);
        }
        // The first numeric axis is the likelier ablation (rate, epochs) than a class pair.
        int axis = m_xAxis->findData(key);
        for (int a = 0; axis < 0 && m_sweep && a < m_sweep->axisCount(); ++a)
            if (!m_sweep->isPairAxis(a))
                axis = a;
        m_xAxis->setCurrentIndex(std::max(axis, 0));
        const int kIndex = m_k->findData(k >= 0 ? k : 10);
        m_k->setCurrentIndex(kIndex >= 0 ? kIndex : m_k->findData(10) >= 0 ? m_k->findData(10) : 0);
    }
    m_xAxis->setEnabled(m_xAxis->count() > 1);
    refresh();
}

void SweepChartsView::setXAxis(int axis)
{
    m_xAxis->setCurrentIndex(axis);
}

int SweepChartsView::xAxis() const
{
    return m_xAxis->currentIndex();
}

void SweepChartsView::setHitK(int k)
{
    const int index = m_k->findData(k);
    if (index >= 0)
        m_k->setCurrentIndex(index);
}

int SweepChartsView::hitK() const
{
    return m_k->currentIndex() >= 0 ? m_k->currentData().toInt() : -1;
}

void SweepChartsView::setUtilityMetric(SweepMetric metric)
{
    m_utilityMetric->setCurrentIndex(m_utilityMetric->findData(int(metric)));
}

SweepMetric SweepChartsView::utilityMetric() const
{
    return SweepMetric(m_utilityMetric->currentData().toInt());
}

QString SweepChartsView::positionsText() const
{
    return m_positions->text();
}

QString SweepChartsView::notPlottedText() const
{
    return m_notPlotted->text();
}

void SweepChartsView::refresh()
{
    const int k = std::max(hitK(), 1);
    plot(m_hit, SweepMetric::HitAtK, k);
    plot(m_minRank, SweepMetric::MinRank, k);
    plot(m_utility, utilityMetric(), k);
    // The same cells miss from every chart but a figure a finished cell lacks: name the attack's.
    const SweepChartSeries hit =
        m_sweep ? SweepChartSeries::build(*m_sweep, xAxis(), SweepMetric::HitAtK, k) : SweepChartSeries{};
    m_positions->setText(hit.positions.isEmpty()
                             ? QString()
                             : tr("Positions on the x axis: %1").arg(hit.positions.join(QStringLiteral(" · "))));
    m_positions->setVisible(!hit.positions.isEmpty());
    m_notPlotted->setText(
        hit.notPlotted.isEmpty()
            ? QString()
            : tr("Not plotted (no final evaluation yet): %1").arg(hit.notPlotted.join(QStringLiteral(", "))));
    m_notPlotted->setVisible(!hit.notPlotted.isEmpty());
}

void SweepChartsView::plot(LineChartWidget *chart, SweepMetric metric, int k)
{
    const QString name = SweepMetrics::name(metric, k);
    if (!m_sweep || m_sweep->axisCount() == 0) {
        chart->setSeries({});
        chart->setTitle(name);
        chart->setPlaceholder(m_sweep ? tr("This sweep has no swept key.") : tr("No sweep open"));
        return;
    }
    const SweepChartSeries data = SweepChartSeries::build(*m_sweep, xAxis(), metric, k);
    chart->setTitle(tr("%1 against %2").arg(name, SweepData::keyTitle(m_sweep->index.axes[std::size_t(xAxis())].key)));
    chart->setSeries(data.series);
    chart->setXRange(data.categorical ? std::optional(std::pair{data.firstX - 0.5, data.lastX + 0.5}) : std::nullopt);
    chart->setYRange(SweepMetrics::isRatio(metric) ? std::optional(std::pair{0.0, 1.0}) : std::nullopt);
    if (data.integral)
        ChartAxes::integerX(chart, data.xTitle, int(data.firstX), int(data.lastX));
    else
        ChartAxes::continuousX(chart, data.xTitle);
    const auto axes = chart->chart()->axes(Qt::Vertical);
    if (auto *y = axes.isEmpty() ? nullptr : qobject_cast<QValueAxis *>(axes.front())) {
        y->setTitleText(name);
        if (SweepMetrics::isRatio(metric)) { // 0, 0.2 … 1 rather than 0.166667
            y->setTickType(QValueAxis::TicksFixed);
            y->setTickCount(6);
            y->setLabelFormat(QStringLiteral("%.1f"));
        }
    }
    for (int i = 0; i < chart->seriesCount(); ++i)
        chart->series(i)->setPointsVisible(true); // a lone cell is a dot, not nothing
    chart->setPlaceholder(data.series.isEmpty() ? tr("No finished cell yet: %1 appears as cells finish.").arg(name)
                                                : QString());
}

} // namespace poisonlab::ui
