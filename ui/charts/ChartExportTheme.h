#pragma once

#include <QBrush>
#include <QChart>
#include <QColor>
#include <QFont>
#include <QList>
#include <QPen>
#include <QSizeF>

namespace poisonlab::ui {

/// While alive, a chart looks as it should in an exported file: the light theme, the series'
/// own colours kept (a theme change would reset them), slide-sized fonts and the export's size.
/// The destructor puts the chart back exactly as it was on screen (theme, colours, fonts, size).
class ChartExportTheme {
public:
    ChartExportTheme(QChart *chart, QSizeF size);
    ~ChartExportTheme();
    ChartExportTheme(const ChartExportTheme &) = delete;
    ChartExportTheme &operator=(const ChartExportTheme &) = delete;

private:
    struct SeriesLook {
        QPen pen;
        QBrush brush;
        QList<QColor> barColours, barBorders; ///< per bar set, for bar series
    };
    QList<SeriesLook> saveSeries() const;
    void restoreSeries(const QList<SeriesLook> &looks) const;
    void applySlideFonts() const;

    QChart *m_chart;
    QChart::ChartTheme m_theme;
    QSizeF m_size;
    QList<SeriesLook> m_series;
    QFont m_titleFont, m_legendFont;
    QList<QFont> m_axisLabelFonts, m_axisTitleFonts;
};

} // namespace poisonlab::ui
