#include "poisonlab/core/report/ReportTable.h"

#include "poisonlab/core/report/SvgCanvas.h"

#include <algorithm>
#include <sstream>

namespace poisonlab::report {

namespace {

std::string replaceAll(std::string s, const std::string &from, const std::string &to)
{
    for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
        s.replace(pos, from.size(), to);
    return s;
}

} // namespace

char ReportTable::alignment(std::size_t column) const
{
    if (column < align.size())
        return align[column];
    return column == 0 ? 'l' : 'r';
}

std::string escapeMarkdown(const std::string &text)
{
    std::string out;
    for (char c : text) {
        if (c == '|' || c == '*' || c == '_' || c == '`' || c == '\\')
            out += '\\';
        out += c == '\n' ? ' ' : c;
    }
    return out;
}

std::string escapeHtml(const std::string &text)
{
    // HTML text is XML text here; arrows in goal names read better as an arrow.
    return replaceAll(SvgCanvas::escapeXml(text), "-&gt;", "&rarr;");
}

std::string escapeLatex(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '-' && i + 1 < text.size() && text[i + 1] == '>') {
            out += "$\\rightarrow$";
            ++i;
            continue;
        }
        switch (c) {
        case '\\':
            out += "\\textbackslash{}";
            break;
        case '&':
            out += "\\&";
            break;
        case '%':
            out += "\\%";
            break;
        case '$':
            out += "\\$";
            break;
        case '#':
            out += "\\#";
            break;
        case '_':
            out += "\\_";
            break;
        case '{':
            out += "\\{";
            break;
        case '}':
            out += "\\}";
            break;
        case '~':
            out += "\\textasciitilde{}";
            break;
        case '^':
            out += "\\textasciicircum{}";
            break;
        case '<':
            out += "\\textless{}";
            break;
        case '>':
            out += "\\textgreater{}";
            break;
        case '|':
            out += "\\textbar{}";
            break;
        default:
            out += c;
        }
    }
    // The non-ASCII symbols the report uses.
    return replaceAll(replaceAll(out, "\xCF\x86", "$\\varphi$"), "\xE2\x80\x93", "--");
}

std::string ReportTable::toMarkdown() const
{
    std::ostringstream out;
    if (!caption.empty())
        out << "*" << escapeMarkdown(caption) << "*\n\n";
    // Markdown has no spanning cells: a group's label prefixes its columns' headers.
    std::vector<std::string> head = header;
    std::size_t col = 0;
    for (const auto &g : groups) {
        for (int k = 0; k < g.span && col < head.size(); ++k, ++col)
            if (!g.label.empty())
                head[col] = g.label + " " + head[col];
    }
    out << "|";
    for (const auto &h : head)
        out << " " << escapeMarkdown(h) << " |";
    out << "\n|";
    for (std::size_t c = 0; c < head.size(); ++c) {
        const char a = alignment(c);
        out << (a == 'l' ? " :--- |" : a == 'c' ? " :---: |" : " ---: |");
    }
    out << "\n";
    for (const auto &row : rows) {
        out << "|";
        for (std::size_t c = 0; c < head.size(); ++c)
            out << " " << (c < row.size() ? escapeMarkdown(row[c]) : "") << " |";
        out << "\n";
    }
    for (const auto &n : notes)
        out << "\n" << escapeMarkdown(n) << "\n";
    return out.str();
}

std::string ReportTable::toHtml() const
{
    std::ostringstream out;
    auto alignAttr = [&](std::size_t c) {
        const char a = alignment(c);
        return std::string(a == 'l' ? " class=\"l\"" : a == 'c' ? " class=\"c\"" : "");
    };
    out << "<table id=\"tab-" << escapeHtml(id) << "\">\n";
    if (!caption.empty())
        out << "<caption>" << escapeHtml(caption) << "</caption>\n";
    out << "<thead>\n";
    if (!groups.empty()) {
        out << "<tr>";
        for (const auto &g : groups)
            out << "<th colspan=\"" << g.span << "\"" << (g.label.empty() ? "" : " class=\"group\"") << ">"
                << escapeHtml(g.label) << "</th>";
        out << "</tr>\n";
    }
    out << "<tr>";
    for (std::size_t c = 0; c < header.size(); ++c)
        out << "<th" << alignAttr(c) << ">" << escapeHtml(header[c]) << "</th>";
    out << "</tr>\n</thead>\n<tbody>\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const bool rule = std::find(rulesBefore.begin(), rulesBefore.end(), r) != rulesBefore.end();
        out << (rule ? "<tr class=\"rule\">" : "<tr>");
        for (std::size_t c = 0; c < header.size(); ++c)
            out << "<td" << alignAttr(c) << ">" << (c < rows[r].size() ? escapeHtml(rows[r][c]) : "") << "</td>";
        out << "</tr>\n";
    }
    out << "</tbody>\n</table>\n";
    for (const auto &n : notes)
        out << "<p class=\"note\">" << escapeHtml(n) << "</p>\n";
    return out.str();
}

std::string ReportTable::toLatex() const
{
    std::ostringstream out;
    out << "\\begin{table}[t]\n\\centering\n";
    if (!caption.empty())
        out << "\\caption{" << escapeLatex(caption) << "}\n";
    out << "\\label{tab:" << id << "}\n\\begin{tabular}{";
    for (std::size_t c = 0; c < header.size(); ++c)
        out << alignment(c);
    out << "}\n\\toprule\n";
    if (!groups.empty()) {
        std::size_t col = 1;
        std::string rules;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const auto &grp = groups[g];
            out << (g ? " & " : "");
            if (grp.span > 1 || !grp.label.empty())
                out << "\\multicolumn{" << grp.span << "}{c}{" << escapeLatex(grp.label) << "}";
            if (!grp.label.empty())
                rules += "\\cmidrule(lr){" + std::to_string(col) + "-" + std::to_string(col + grp.span - 1) + "}";
            col += std::size_t(grp.span);
        }
        out << " \\\\\n" << (rules.empty() ? "" : rules + "\n");
    }
    for (std::size_t c = 0; c < header.size(); ++c)
        out << (c ? " & " : "") << escapeLatex(header[c]);
    out << " \\\\\n\\midrule\n";
    for (std::size_t r = 0; r < rows.size(); ++r) {
        if (r > 0 && std::find(rulesBefore.begin(), rulesBefore.end(), r) != rulesBefore.end())
            out << "\\midrule\n";
        for (std::size_t c = 0; c < header.size(); ++c)
            out << (c ? " & " : "") << (c < rows[r].size() ? escapeLatex(rows[r][c]) : "");
        out << " \\\\\n";
    }
    out << "\\bottomrule\n\\end{tabular}\n";
    for (const auto &n : notes)
        out << "\n\\smallskip\\footnotesize " << escapeLatex(n) << "\n";
    out << "\\end{table}\n";
    return out.str();
}

} // namespace poisonlab::report
