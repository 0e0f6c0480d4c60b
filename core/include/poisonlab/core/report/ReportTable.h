#pragma once

#include <string>
#include <vector>

namespace poisonlab::report {

/// A results table in the paper's layout, independent of the output format: a caption, an
/// optional row of column groups spanning several columns ("Text retrieval" over R@1 R@5 R@10),
/// the column headers, rows of already formatted cells and the rows a rule goes above.
struct ReportTable {
    struct Group {
        std::string label; ///< empty: no group over these columns
        int span = 1;
    };

    std::string id; ///< short name: the LaTeX label is "tab:<id>"
    std::string caption;
    std::vector<Group> groups; ///< empty, or spans summing to the column count
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::size_t> rulesBefore; ///< row indices with a rule above them
    std::string align;                    ///< one of l, c, r per column (default: first l, rest r)
    std::vector<std::string> notes;       ///< footnotes printed under the table

    char alignment(std::size_t column) const;

    std::string toMarkdown() const;
    std::string toHtml() const;
    /// A booktabs table environment (\toprule, \cmidrule under groups, \midrule, \bottomrule).
    std::string toLatex() const;
};

/// Cell text for each format. "->" becomes an arrow in HTML and LaTeX.
std::string escapeMarkdown(const std::string &text);
std::string escapeHtml(const std::string &text);
std::string escapeLatex(const std::string &text);

} // namespace poisonlab::report
