#pragma once

#include "poisonlab/core/report/Canvas.h"

#include <string>

namespace poisonlab::report {

/// A figure: title, axis labels and a size in figure units (SVG user units; the PNG is `scale`
/// times larger). Each chart kind draws itself on any Canvas, so the SVG and the PNG of a figure
/// come from the same drawing calls and share one layout. Every data series is drawn inside a
/// Canvas group of class "series".
class Chart {
public:
    virtual ~Chart();
    virtual void draw(Canvas &canvas) const = 0;

    std::string title;
    std::string xLabel;
    std::string yLabel;
    int width = 720;
    int height = 440;
};

} // namespace poisonlab::report
