#pragma once

#include "poisonlab/core/report/RunResults.h"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace poisonlab::report {

enum class ReportFormat { Markdown, Html };

struct ReportOptions {
    std::filesystem::path runDir;
    /// A clean run evaluated on the same data: the utility table's clean row. Without it the
    /// run's initial evaluation (the starting model) is used, and the report says so.
    std::optional<std::filesystem::path> compareDir;
    ReportFormat format = ReportFormat::Markdown;
    std::filesystem::path out; ///< empty: defaultOutput()
};

struct ReportOutput {
    std::filesystem::path document;
    std::filesystem::path figuresDir;
    std::vector<std::filesystem::path> figures; ///< every file written, .svg and .png
    std::string latex;                          ///< the tables as LaTeX (booktabs)
    std::vector<ReportProblem> problems;        ///< inputs missing or unusable; listed in the report too
};

/// Turns a run directory into a report: the paper's tables (attack efficacy ours vs baseline,
/// utility clean vs attacked, poisoning, per-epoch, defenses) and every figure whose input exists,
/// each as SVG and PNG in <out stem>-figures/ next to the document. Markdown references the
/// figure files; HTML is self-contained (SVGs inline). Inputs that are missing or malformed are
/// listed in the report ("Not rendered") instead of failing.
class ReportBuilder {
public:
    explicit ReportBuilder(ReportOptions options);

    /// Loads, renders and writes (atomically). Throws poisonlab::Error naming the file when the
    /// run (or the compare run) is not a run directory, has no results, or its final.json is
    /// corrupt.
    ReportOutput write();

    static std::filesystem::path defaultOutput(const std::filesystem::path &runDir, ReportFormat format);
    static std::filesystem::path figuresDirFor(const std::filesystem::path &document);

private:
    ReportOptions m_options;
};

} // namespace poisonlab::report
