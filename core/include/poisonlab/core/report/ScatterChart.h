#pragma once

#include "poisonlab/core/report/Chart.h"

#include <vector>

namespace poisonlab::report {

/// Points coloured by group (class), for 2-D projections (PCA, t-SNE). A point may be drawn in
/// the alternate shape (a square: captions, where dots are images) and highlighted (a dark ring:
/// poisoned pairs).
class ScatterChart final : public Chart {
public:
    struct Item {
        double x = 0, y = 0;
        std::size_t group = 0; ///< index into `groups`
        bool alternate = false;
        bool highlight = false;
    };

    std::vector<std::string> groups;
    std::vector<Item> points;
    std::string primaryLabel = "image";
    std::string alternateLabel = "caption";
    std::string highlightLabel = "poisoned";

    void draw(Canvas &canvas) const override;
};

} // namespace poisonlab::report
