#pragma once

#include "poisonlab/core/report/Chart.h"

#include <optional>
#include <utility>
#include <vector>

namespace poisonlab::report {

/// Lines over a numeric x axis: losses per step, Hit@K per epoch, defense curves, densities
/// (`fill`: shaded down to zero) and ROC curves (`diagonal`: the chance line, axes [0, 1]).
class LineChart final : public Chart {
public:
    struct Series {
        std::string name;
        std::vector<double> x, y;     ///< same length; non-finite points break the line
        std::optional<Colour> colour; ///< default: the categorical palette by index
        bool dashed = false;
        bool fill = false;    ///< shade the area between the line and y = 0
        bool markers = false; ///< a dot at each point
        double width = 2;
    };
    struct VerticalLine {
        double x = 0;
        std::string label;
        Colour colour{80, 80, 80};
    };

    std::vector<Series> series;
    std::vector<VerticalLine> verticalLines;
    std::optional<std::pair<double, double>> xRange, yRange; ///< default: the data's range
    bool integerX = false;                                   ///< ticks at whole numbers only (epochs, steps)
    bool diagonal = false;                                   ///< a dashed y = x line (ROC chance level)
    bool legend = true;

    void draw(Canvas &canvas) const override;
};

} // namespace poisonlab::report
