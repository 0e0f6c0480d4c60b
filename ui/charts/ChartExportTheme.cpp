#include "charts/ChartExportTheme.h"

#include <QAbstractAxis>
#include <QAbstractBarSeries>
#include <QBarSet>
#include <QGraphicsLayout>
#include <QLegend>
#include <QXYSeries>

namespace poisonlab::ui {

ChartExportTheme::ChartExportTheme(QChart *chart, QSizeF size)
    : m_chart(chart), m_theme(chart->theme()), m_size(chart->size())
{
    m_series = saveSeries();
    m_titleFont = chart->titleFont();
    m_legendFont = chart->legend()->font();
    for (QAbstractAxis *axis : chart->axes()) {
        m_axisLabelFonts.append(axis->labelsFont());
        m_axisTitleFonts.append(axis->titleFont());
    }
    if (m_theme != QChart::ChartThemeLight) {
        chart->setTheme(QChart::ChartThemeLight);
        restoreSeries(m_series); // the lines keep the colours the view gave them
    }
    applySlideFonts();
    chart->resize(size);
    if (chart->layout())
        chart->layout()->activate(); // lay out at the export's size now, not on the next event loop pass
}

ChartExportTheme::~ChartExportTheme()
{
    if (m_theme != QChart::ChartThemeLight) {
        m_chart->setTheme(m_theme);
        restoreSeries(m_series);
    }
    m_chart->setTitleFont(m_titleFont);
    m_chart->legend()->setFont(m_legendFont);
    const auto axes = m_chart->axes();
    for (int i = 0; i < axes.size() && i < m_axisLabelFonts.size(); ++i) {
        axes[i]->setLabelsFont(m_axisLabelFonts[i]);
        axes[i]->setTitleFont(m_axisTitleFonts[i]);
    }
    m_chart->resize(m_size);
    if (m_chart->layout())
        m_chart->layout()->activate();
}

QList<ChartExportTheme::SeriesLook> ChartExportTheme::saveSeries() const
{
    QList<SeriesLook> looks;
    for (QAbstractSeries *s : m_chart->series()) {
        SeriesLook look;
        if (auto *xy = qobject_cast<QXYSeries *>(s)) {
            look.pen = xy->pen();
            look.brush = xy->brush();
        } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(s)) {
            for (QBarSet *set : bars->barSets()) {
                look.barColours.append(set->color());
                look.barBorders.append(set->borderColor());
            }
        }
        looks.append(look);
    }
    return looks;
}

void ChartExportTheme::restoreSeries(const QList<SeriesLook> &looks) const
{
    const auto series = m_chart->series();
    for (int i = 0; i < series.size() && i < looks.size(); ++i) {
        if (auto *xy = qobject_cast<QXYSeries *>(series[i])) {
            xy->setPen(looks[i].pen);
            xy->setBrush(looks[i].brush);
        } else if (auto *bars = qobject_cast<QAbstractBarSeries *>(series[i])) {
            const auto sets = bars->barSets();
            for (int k = 0; k < sets.size() && k < looks[i].barColours.size(); ++k) {
                sets[k]->setColor(looks[i].barColours[k]);
                sets[k]->setBorderColor(looks[i].barBorders[k]);
            }
        }
    }
}

// Sizes that read from the back of a room on a slide of the default 900 x 560 export.
void ChartExportTheme::applySlideFonts() const
{
    QFont title = m_titleFont;
    title.setPointSizeF(16);
    title.setBold(true);
    m_chart->setTitleFont(title);
    QFont legend = m_legendFont;
    legend.setPointSizeF(12);
    m_chart->legend()->setFont(legend);
    for (QAbstractAxis *axis : m_chart->axes()) {
        QFont labels = axis->labelsFont();
        labels.setPointSizeF(11);
        axis->setLabelsFont(labels);
        QFont axisTitle = axis->titleFont();
        axisTitle.setPointSizeF(13);
        axisTitle.setBold(false);
        axis->setTitleFont(axisTitle);
    }
}

} // namespace poisonlab::ui
