#pragma once

#include "poisonlab/core/report/Chart.h"
#include "poisonlab/core/report/RunResults.h"

#include <memory>
#include <string>
#include <vector>

namespace poisonlab::report {

struct ReportFigure {
    std::string name;    ///< file stem: <name>.svg, <name>.png
    std::string caption; ///< one sentence for the report
    std::unique_ptr<Chart> chart;
};

/// The figures a run's files allow, and for each one that cannot be drawn, why (the missing or
/// malformed input and how to produce it).
struct FigureSet {
    std::vector<ReportFigure> figures;
    std::vector<ReportProblem> missing;
};

/// Loss, Hit@K per epoch, Hit@K ours vs baseline, distance densities, PCA / t-SNE projections,
/// the class-pair MinRank grid, the pre-filter's ROC and densities, post-training curves per lr.
FigureSet buildFigures(const RunResults &run);

} // namespace poisonlab::report
