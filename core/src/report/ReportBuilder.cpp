#include "poisonlab/core/report/ReportBuilder.h"

#include "ReportDocument.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/JsonFields.h"
#include "poisonlab/core/Version.h"
#include "poisonlab/core/report/FigureWriter.h"
#include "poisonlab/core/report/PaperTables.h"
#include "poisonlab/core/report/ReportFigures.h"

#include <set>

namespace poisonlab::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string relativeTo(const fs::path &file, const fs::path &dir)
{
    return file.lexically_relative(dir).generic_string();
}

// The utility table's clean row: the compare run, else the run's starting model.
std::optional<CleanReference> cleanReference(const RunResults &run, const std::optional<RunResults> &compare,
                                             std::vector<ReportProblem> &problems)
{
    if (compare) {
        // The utility row compares R@K: both runs must have measured them on the same gallery.
        const std::string here = run.utilityTarget(), there = compare->utilityTarget();
        // The utility gallery's size when the run had one, else the evaluation gallery's.
        const auto gallery = [](const eval::EvaluationResult &e) {
            return (e.utilityGallery ? e.utilityGallery->galleryImages : e.galleryImages).value_or(-1);
        };
        const auto captions = [](const eval::EvaluationResult &e) {
            return (e.utilityGallery ? e.utilityGallery->captions : e.captions).value_or(-1);
        };
        if (here != there || gallery(run.evaluation) != gallery(compare->evaluation) ||
            captions(run.evaluation) != captions(compare->evaluation))
            problems.push_back({compare->dir / "results" / "final.json",
                                "mismatch: the compare run evaluated " + (there.empty() ? "?" : there) + " (" +
                                    std::to_string(gallery(compare->evaluation)) + " images, " +
                                    std::to_string(captions(compare->evaluation)) + " captions) but this run " +
                                    (here.empty() ? "?" : here) + " (" + std::to_string(gallery(run.evaluation)) +
                                    " images, " + std::to_string(captions(run.evaluation)) +
                                    " captions); its utility row is not comparable",
                                "compare with a clean run of the same datasets and split"});
        return CleanReference{compare->evaluation, "Clean (" + compare->name() + ")",
                              "Clean: run " + compare->dir.string() + "."};
    }
    if (run.initialEvaluation)
        return CleanReference{*run.initialEvaluation, "Before fine-tuning",
                              "No clean run was given (--compare): the clean row is this run's starting model "
                              "before fine-tuning, not a clean fine-tune."};
    problems.push_back({{},
                        "no clean reference for the utility table: no --compare run and no initial evaluation",
                        "pass --compare CLEAN_RUN_DIR"});
    return std::nullopt;
}

std::string runLine(const RunResults &run)
{
    const auto &m = run.manifest;
    std::string s = "Run " + run.dir.string() + ": status " + m.status;
    if (!m.created.empty())
        s += ", created " + m.created;
    if (!m.projectVersion.empty())
        s += ", PoisonLab " + m.projectVersion;
    if (!m.torchVersion.empty())
        s += " (LibTorch " + m.torchVersion + ")";
    if (!m.device.empty())
        s += ", device " + m.device;
    s += ", seed " + std::to_string(m.seed) + ".";
    if (!m.error.empty())
        s += " Error: " + m.error;
    return s;
}

} // namespace

ReportBuilder::ReportBuilder(ReportOptions options) : m_options(std::move(options))
{
}

fs::path ReportBuilder::defaultOutput(const fs::path &runDir, ReportFormat format)
{
    return runDir / "report" / (format == ReportFormat::Html ? "report.html" : "report.md");
}

fs::path ReportBuilder::figuresDirFor(const fs::path &document)
{
    return document.parent_path() / (document.stem().string() + "-figures");
}

ReportOutput ReportBuilder::write()
{
    const RunResults run = RunResults::load(m_options.runDir);
    std::optional<RunResults> compare;
    if (m_options.compareDir)
        compare = RunResults::load(*m_options.compareDir);

    ReportOutput out;
    out.document = fs::absolute(m_options.out.empty() ? defaultOutput(run.dir, m_options.format) : m_options.out)
                       .lexically_normal();
    out.figuresDir = figuresDirFor(out.document);
    out.problems = run.problems;
    const auto clean = cleanReference(run, compare, out.problems);

    // Tables in the paper's order.
    std::vector<ReportTable> tables{paper::attackTable(run), paper::utilityTable(run, clean)};
    // Each optional table reads one file as it is; one of the wrong shape becomes a problem naming
    // it (as a figure's does), not the end of the report.
    using OptionalTable = std::optional<ReportTable> (*)(const RunResults &);
    const std::pair<OptionalTable, fs::path> optionalTables[] = {
        {paper::poisonTable, run.dir / "poison" / "manifest.json"},
        {paper::epochTable, run.dir / "metrics.jsonl"},
        {paper::embeddingShiftTable, run.dir / "results" / "analysis" / "embedding_shift.json"},
        {paper::prefilterTable, run.dir / "results" / "defense" / "prefilter.json"},
        {paper::posttrainTable, run.dir / "results" / "defense" / "posttrain.json"}};
    for (const auto &[table, file] : optionalTables)
        try {
            if (auto t = table(run))
                tables.push_back(std::move(*t));
        } catch (const std::exception &e) {
            out.problems.push_back({file, std::string("malformed: ") + withoutJsonTag(e.what()), ""});
        }

    // Figures: each one whose input exists, SVG and PNG.
    FigureSet figures = buildFigures(run);
    for (auto &p : figures.missing)
        out.problems.push_back(std::move(p));
    std::set<std::string> written;
    std::vector<std::pair<const ReportFigure *, std::string>> rendered; // figure, its SVG text
    for (const auto &f : figures.figures) {
        const FigureFiles files = writeFigure(*f.chart, out.figuresDir, f.name);
        out.figures.push_back(files.svg);
        out.figures.push_back(files.png);
        written.insert(files.svg.filename().string());
        written.insert(files.png.filename().string());
        rendered.emplace_back(&f, m_options.format == ReportFormat::Html ? readFile(files.svg) : std::string());
    }
    // Figures of an earlier report whose input has gone would look current: remove them.
    std::error_code ec;
    if (fs::is_directory(out.figuresDir, ec))
        for (const auto &entry : fs::directory_iterator(out.figuresDir, ec)) {
            const auto ext = entry.path().extension();
            if ((ext == ".svg" || ext == ".png") && !written.count(entry.path().filename().string()))
                fs::remove(entry.path(), ec);
        }

    ReportDocument doc(m_options.format, "PoisonLab report: " + run.name());
    doc.heading(1, "PoisonLab report: " + run.name());
    doc.paragraph(runLine(run));
    std::vector<std::string> datasets;
    for (const auto &d : run.manifest.datasets)
        datasets.push_back(d.name + " (" + d.format + ", " + std::to_string(d.images) + " images, " +
                           std::to_string(d.captions) + " captions, " + d.root + ")");
    if (!datasets.empty()) {
        doc.paragraph("Datasets:");
        doc.bullets(datasets);
    }
    if (!run.notes.empty())
        doc.bullets(run.notes);
    const char *titles[] = {"Attack efficacy", "Utility"};
    for (std::size_t i = 0; i < tables.size(); ++i) {
        const auto &t = tables[i];
        std::string title = i < 2                 ? titles[i]
                            : t.id == "poison"    ? "Poisoning"
                            : t.id == "epochs"    ? "Per epoch"
                            : t.id == "shift"     ? "Embedding shift"
                            : t.id == "prefilter" ? "Defense: pre-training filter"
                                                  : "Defense: post-training fine-tuning";
        doc.heading(2, title);
        doc.table(t);
    }
    if (!rendered.empty()) {
        doc.heading(2, "Figures");
        for (const auto &[f, svg] : rendered) {
            doc.heading(3, f->chart->title);
            doc.figure(f->caption, svg, relativeTo(out.figuresDir / (f->name + ".png"), out.document.parent_path()),
                       relativeTo(out.figuresDir / (f->name + ".svg"), out.document.parent_path()));
        }
    }
    if (!out.problems.empty()) {
        doc.heading(2, "Not rendered");
        doc.paragraph("These inputs were missing or unusable; everything else above is complete.");
        std::vector<std::string> items;
        for (const auto &p : out.problems)
            items.push_back(p.text());
        doc.bullets(items);
    }
    doc.paragraph("Written by poisonlab-cli report " + projectVersion() + ".");
    writeFileAtomically(out.document, doc.finish());

    std::string latex = "% PoisonLab report of run \"" + run.name() + "\" (" + run.dir.string() +
                        ")\n% Tables in booktabs style: \\usepackage{booktabs} in the preamble.\n\n";
    for (const auto &t : tables)
        latex += t.toLatex() + "\n";
    out.latex = latex;
    return out;
}

} // namespace poisonlab::report
