#pragma once

#include "poisonlab/core/report/ReportBuilder.h"
#include "poisonlab/core/report/ReportTable.h"

#include <sstream>
#include <string>
#include <vector>

namespace poisonlab::report {

// Writes the report's blocks as Markdown or as one self-contained HTML page.
class ReportDocument {
public:
    ReportDocument(ReportFormat format, const std::string &title);

    void heading(int level, const std::string &text);
    void paragraph(const std::string &text);
    void bullets(const std::vector<std::string> &items);
    void table(const ReportTable &table);
    /// `svg`: the document inlined in HTML; `png`/`svgFile`: paths relative to the report.
    void figure(const std::string &caption, const std::string &svg, const std::string &png, const std::string &svgFile);
    std::string finish();

private:
    std::string text(const std::string &s) const;

    ReportFormat m_format;
    std::ostringstream m_out;
};

} // namespace poisonlab::report
