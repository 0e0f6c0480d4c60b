// `poisonlab-cli report RUN_DIR [--format md|html] [--out FILE] [--latex [FILE]] [--compare RUN_DIR]`:
// the paper's tables and the run's figures as a Markdown or HTML report, the tables as LaTeX.
#include "CliParsing.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/ReportBuilder.h"

namespace poisonlab::cli {

namespace {

namespace fs = std::filesystem;

class ReportCommand final : public CliCommand {
public:
    std::string name() const override { return "report"; }
    std::string summary() const override
    {
        return "write a run's tables (paper layout) and figures as Markdown or HTML, the tables as LaTeX";
    }

    int run(const std::vector<std::string> &args, CliStreams streams) override
    {
        CLI::App app(
            "Writes a report of a run directory: attack efficacy (Hit@1/5/10, MinRank, ours vs baseline), utility\n"
            "(R@1/5/10, clean vs attacked), poisoning, per-epoch and defense tables, and every figure whose input\n"
            "exists as PNG and SVG in <report name>-figures/ next to the report. Missing analysis or defense files\n"
            "are listed in the report, not fatal. See docs/reports.md.",
            "report");
        std::string runDir, format = "md", out, compare;
        std::optional<std::string> latex;
        app.add_option("run_dir", runDir, "the run directory")->required();
        app.add_option("--format", format, "md (Markdown, figures as files) or html (self-contained)")
            ->check(CLI::IsMember({"md", "html"}));
        app.add_option("--out", out, "the report file (default: RUN_DIR/report/report.md or .html)");
        app.add_option("--latex", latex,
                       "also write the tables as LaTeX (booktabs): to FILE (a .tex file, or - to print them), or "
                       "next to the report as <name>.tex when no FILE is given")
            ->expected(0, 1);
        app.add_option("--compare", compare,
                       "a clean run: the utility table's clean row (default: the run's "
                       "starting model, when it was evaluated)");
        // A bare --latex takes the next word only when it is a .tex file or "-": `report --latex RUN_DIR`
        // keeps RUN_DIR as the run directory.
        std::vector<std::string> words = args;
        for (std::size_t i = 0; i < words.size(); ++i)
            if (words[i] == "--latex" &&
                (i + 1 == words.size() ||
                 (words[i + 1] != "-" && !(words[i + 1].size() > 4 && words[i + 1].ends_with(".tex")))))
                words[i] = "--latex=";
        if (int rc = parseArgs(app, words, streams); rc >= 0)
            return rc;

        report::ReportOptions options;
        options.runDir = runDir;
        options.format = format == "html" ? report::ReportFormat::Html : report::ReportFormat::Markdown;
        options.out = out;
        if (!compare.empty())
            options.compareDir = fs::path(compare);
        report::ReportOutput result;
        try {
            result = report::ReportBuilder(options).write();
        } catch (const Error &e) {
            streams.err << "poisonlab-cli report: " << e.what() << "\n";
            return 2;
        }
        const bool latexWanted = app.count("--latex") > 0;
        if (latexWanted) {
            const std::string target = latex.value_or("");
            if (target == "-") {
                streams.out << result.latex;
            } else {
                const fs::path texPath =
                    target.empty() ? fs::path(result.document).replace_extension(".tex") : fs::path(target);
                writeFileAtomically(texPath, result.latex);
                streams.err << "LaTeX tables: " << texPath.string() << "\n";
            }
        }
        for (const auto &p : result.problems)
            streams.err << "not rendered: " << p.text() << "\n";
        streams.err << "report: " << result.document.string() << " (" << result.figures.size() / 2 << " figures in "
                    << result.figuresDir.string() << ")\n";
        if (!latexWanted || latex.value_or("") != "-")
            streams.out << result.document.string() << "\n";
        return 0;
    }
};

} // namespace

} // namespace poisonlab::cli

using poisonlab::cli::ReportCommand;
POISONLAB_REGISTER_CLI_COMMAND(ReportCommand)
