#include "ReportDocument.h"

namespace poisonlab::report {

namespace {

const char *const kCss =
    R"(body{font-family:"DejaVu Sans",Helvetica,Arial,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;border-top:2px solid #222;border-bottom:2px solid #222}
caption{caption-side:top;text-align:left;font-style:italic;padding-bottom:.4em}
th,td{padding:.25em .7em;text-align:right}th.l,td.l{text-align:left}th.c,td.c{text-align:center}
thead tr:last-child th{border-bottom:1px solid #222}th.group{border-bottom:1px solid #888}
tr.rule td{border-top:1px solid #888}p.note{font-size:90%;color:#555}
figure{margin:1.5em 0}figure svg{max-width:100%;height:auto}figcaption{font-size:90%;color:#444}
code{background:#f3f3f3;padding:0 .2em})";

} // namespace

ReportDocument::ReportDocument(ReportFormat format, const std::string &title) : m_format(format)
{
    if (m_format == ReportFormat::Html)
        m_out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" << escapeHtml(title)
              << "</title>\n<style>\n"
              << kCss << "\n</style>\n</head>\n<body>\n";
}

std::string ReportDocument::text(const std::string &s) const
{
    return m_format == ReportFormat::Html ? escapeHtml(s) : s;
}

void ReportDocument::heading(int level, const std::string &s)
{
    if (m_format == ReportFormat::Html)
        m_out << "<h" << level << ">" << escapeHtml(s) << "</h" << level << ">\n";
    else
        m_out << std::string(std::size_t(level), '#') << " " << s << "\n\n";
}

void ReportDocument::paragraph(const std::string &s)
{
    if (m_format == ReportFormat::Html)
        m_out << "<p>" << escapeHtml(s) << "</p>\n";
    else
        m_out << s << "\n\n";
}

void ReportDocument::bullets(const std::vector<std::string> &items)
{
    if (items.empty())
        return;
    if (m_format == ReportFormat::Html) {
        m_out << "<ul>\n";
        for (const auto &i : items)
            m_out << "<li>" << escapeHtml(i) << "</li>\n";
        m_out << "</ul>\n";
    } else {
        for (const auto &i : items)
            m_out << "- " << i << "\n";
        m_out << "\n";
    }
}

void ReportDocument::table(const ReportTable &t)
{
    m_out << (m_format == ReportFormat::Html ? t.toHtml() : t.toMarkdown()) << "\n";
}

void ReportDocument::figure(const std::string &caption, const std::string &svg, const std::string &png,
                            const std::string &svgFile)
{
    if (m_format == ReportFormat::Html) {
        // Inline the SVG (without its XML declaration) so the page stands alone.
        std::string body = svg;
        if (body.rfind("<?xml", 0) == 0)
            body.erase(0, body.find('\n') + 1);
        m_out << "<figure>\n"
              << body << "<figcaption>" << escapeHtml(caption) << " (<a href=\"" << escapeHtml(png)
              << "\">PNG</a>, <a href=\"" << escapeHtml(svgFile) << "\">SVG</a>)</figcaption>\n</figure>\n";
    } else {
        m_out << "![" << caption << "](" << png << ")\n\n" << caption << " ([SVG](" << svgFile << "))\n\n";
    }
}

std::string ReportDocument::finish()
{
    if (m_format == ReportFormat::Html)
        m_out << "</body>\n</html>\n";
    return m_out.str();
}

} // namespace poisonlab::report
