#include "browser/ClassHistogramView.h"

#include "style/StatusColors.h"

#include "charts/ChartExportDialog.h"
#include "charts/ChartExporter.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCheckBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>
#include <QValueAxis>

namespace poisonlab::ui {

ClassCounts ClassCounts::count(const data::Dataset &dataset)
{
    ClassCounts counts;
    const int classes = static_cast<int>(dataset.classes.size());
    for (const auto &name : dataset.classes)
        counts.classes << QString::fromStdString(name);
    counts.total.fill(0, classes);
    QVector<int> bySplit[4];
    for (auto &v : bySplit)
        v.fill(0, classes);
    bool present[4] = {false, false, false, false};
    for (const auto &image : dataset.images) {
        if (image.label < 0 || image.label >= classes) {
            ++counts.unlabelled;
            continue;
        }
        ++counts.total[image.label];
        const int s = static_cast<int>(image.split);
        ++bySplit[s][image.label];
        present[s] = true;
    }
    for (data::Split s : {data::Split::Train, data::Split::Val, data::Split::Test, data::Split::None})
        if (present[static_cast<int>(s)])
            counts.perSplit.append(
                {s == data::Split::None ? QStringLiteral("no split") : QString::fromLatin1(data::splitName(s)),
                 bySplit[static_cast<int>(s)]});
    return counts;
}

ClassHistogramView::ClassHistogramView(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *tools = new QHBoxLayout;
    m_perSplitBox = new QCheckBox(tr("Per split"), this);
    m_perSplitBox->setToolTip(tr("One bar per split (train/val/test) for each class"));
    auto *exportButton = new QPushButton(tr("Export…"), this);
    exportButton->setToolTip(tr("Save the chart as PNG or SVG"));
    tools->addWidget(m_perSplitBox);
    tools->addStretch(1);
    tools->addWidget(exportButton);
    layout->addLayout(tools);

    auto *chart = new QChart;
    chart->setTheme(StatusColors::isDark(palette()) ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->legend()->setVisible(false);
    chart->setMargins(QMargins(4, 4, 4, 4));
    m_view = new QChartView(chart, this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumHeight(180);
    layout->addWidget(m_view, 1);

    connect(m_perSplitBox, &QCheckBox::toggled, this, &ClassHistogramView::setPerSplit);
    connect(exportButton, &QPushButton::clicked, this, &ClassHistogramView::exportInteractively);
    rebuild();
}

void ClassHistogramView::setDataset(const DatasetPtr &dataset)
{
    m_counts = dataset ? ClassCounts::count(*dataset) : ClassCounts{};
    rebuild();
}

void ClassHistogramView::setPerSplit(bool perSplit)
{
    m_perSplit = perSplit;
    const QSignalBlocker block(m_perSplitBox);
    m_perSplitBox->setChecked(perSplit);
    rebuild();
}

void ClassHistogramView::rebuild()
{
    QChart *chart = m_view->chart();
    chart->removeAllSeries();
    for (QAbstractAxis *axis : chart->axes())
        chart->removeAxis(axis);
    if (m_counts.classes.isEmpty()) {
        chart->setTitle(tr("Images per class (no dataset)"));
        return;
    }
    chart->setTitle(tr("Images per class"));

    auto *series = new QBarSeries;
    auto addSet = [&](const QString &name, const QVector<int> &values, QColor color) {
        auto *set = new QBarSet(name);
        for (int v : values)
            *set << v;
        set->setColor(color);
        set->setBorderColor(color.darker(120));
        series->append(set);
    };
    int maxValue = 0;
    if (m_perSplit && !m_counts.perSplit.isEmpty()) {
        const QColor palette[] = {QColor(0x3b, 0x75, 0xaf), QColor(0xef, 0x85, 0x36), QColor(0x51, 0x9e, 0x3e),
                                  QColor(0x8d, 0x69, 0xb8)};
        int i = 0;
        for (const auto &[name, values] : m_counts.perSplit) {
            addSet(name, values, palette[i++ % 4]);
            for (int v : values)
                maxValue = std::max(maxValue, v);
        }
    } else {
        addSet(tr("images"), m_counts.total, QColor(0x3b, 0x75, 0xaf));
        for (int v : m_counts.total)
            maxValue = std::max(maxValue, v);
    }
    chart->legend()->setVisible(m_perSplit && m_counts.perSplit.size() > 0);
    chart->legend()->setAlignment(Qt::AlignTop);
    chart->addSeries(series);

    auto *xAxis = new QBarCategoryAxis;
    xAxis->append(m_counts.classes);
    // Horizontal labels while they fit; vertical (never truncated) for PASCAL's 20 or COCO's 80.
    xAxis->setLabelsAngle(m_counts.classes.size() > 12 ? -90 : 0);
    QFont small = xAxis->labelsFont();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    xAxis->setLabelsFont(small);
    chart->addAxis(xAxis, Qt::AlignBottom);
    series->attachAxis(xAxis);
    auto *yAxis = new QValueAxis;
    yAxis->setRange(0, std::max(1, maxValue));
    yAxis->setLabelFormat(QStringLiteral("%d"));
    yAxis->applyNiceNumbers();
    yAxis->setTitleText(tr("images"));
    yAxis->setLabelsFont(small);
    chart->addAxis(yAxis, Qt::AlignLeft);
    series->attachAxis(yAxis);

    connect(series, &QBarSeries::clicked, this, [this](int index, QBarSet *) { Q_EMIT classClicked(index); });
}

bool ClassHistogramView::exportTo(const QString &path, QString *error) const
{
    QSize size = m_view->chart()->size().toSize();
    if (size.width() < 100 || size.height() < 80) // never laid out (hidden panel)
        size = QSize(800, 500);
    return ChartExporter::exportChart(m_view->chart(), path, size, error);
}

void ClassHistogramView::exportInteractively()
{
    // The same dialog as every chart: size, PNG/SVG/PDF, a suffix added when missing.
    ChartExportDialog::run(
        const_cast<ClassHistogramView *>(this),
        [this](const QString &path, QSize size, QString *error) {
            return ChartExporter::exportChart(m_view->chart(), path, size, error);
        },
        QStringLiteral("class-histogram"));
}

} // namespace poisonlab::ui
