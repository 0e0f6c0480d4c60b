// `poisonlab-cli report` over a small hand-made run directory (tests/data/report): the paper's
// tables with the exact numbers in Markdown, HTML and LaTeX, the figures as SVG and PNG,
// missing or malformed inputs listed (not fatal), and clear errors for folders that are not
// runs or have no results.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/report/ReportBuilder.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::report;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

fs::path golden(const std::string &name)
{
    return test::testDataDir() / "report" / name;
}

// A writable copy of a golden run.
fs::path copyRun(const test::TempDir &dir, const std::string &name)
{
    fs::copy(golden(name), dir / name, fs::copy_options::recursive);
    return dir / name;
}

ReportOutput build(const fs::path &run, const fs::path &out, ReportFormat format = ReportFormat::Markdown,
                   std::optional<fs::path> compare = golden("clean-run"))
{
    ReportOptions o;
    o.runDir = run;
    o.out = out;
    o.format = format;
    o.compareDir = compare;
    return ReportBuilder(o).write();
}

bool listed(const ReportOutput &out, const std::string &what)
{
    for (const auto &p : out.problems)
        if (p.text().find(what) != std::string::npos)
            return true;
    return false;
}

} // namespace

class TestReportBuilder : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tables_data();
    void tables();
    void latexIsBooktabsAndEscaped();
    void figuresWritten();
    void htmlIsSelfContained();
    void missingInputsListedNotFatal();
    void malformedInputListedOthersKept();
    void cleanRowFallsBackToInitialEvaluation();
    void compareRunMismatchListed();
    void utilityGalleryNamedAndCompared();
    void runWithoutFinalUsesMetrics();
    void badRunDirectories_data();
    void badRunDirectories();
    void cli();

private:
    test::TempDir m_dir;
    ReportOutput m_md, m_html; // the golden run's reports, built once
};

void TestReportBuilder::initTestCase()
{
    m_md = build(golden("attack-run"), m_dir / "md" / "report.md");
    m_html = build(golden("attack-run"), m_dir / "html" / "index.html", ReportFormat::Html);
}

void TestReportBuilder::tables_data()
{
    QTest::addColumn<int>("format"); // 0 md, 1 html, 2 latex
    QTest::addColumn<QString>("expected");
    // Attack table (paper layout): per goal, baseline then ours; Hit with 3 decimals, MinRank with 1.
    QTest::newRow("md attack baseline") << 0 << "| sheep->aeroplane | Baseline | 0.013 | 0.067 | 0.147 | 17.8 |";
    QTest::newRow("md attack ours") << 0 << "|  | Ours | 0.457 | 0.812 | 0.933 | 1.3 |";
    QTest::newRow("md second goal") << 0 << "|  | Ours | 0.333 | 0.733 | 0.867 | 2.4 |";
    QTest::newRow("md utility clean") << 0
                                      << "| Clean (golden\\_clean) | 0.533 | 0.800 | 0.900 | 0.410 | 0.750 | 0.867 |";
    QTest::newRow("md utility attacked")
        << 0 << "| Attacked (golden\\_attack3) | 0.517 | 0.783 | 0.883 | 0.397 | 0.733 | 0.857 |";
    QTest::newRow("md utility change") << 0 << "| Change | -0.017 | -0.017 | -0.017 | -0.013 | -0.017 | -0.010 |";
    QTest::newRow("md utility header") << 0 << "| Model | Text retrieval R@1 |";
    QTest::newRow("md poison phi") << 0 << "60/4800 = 1.25%";
    QTest::newRow("md epochs") << 0 << "| 1 | sheep->aeroplane | 0.200 | 0.533 | 0.667 | 6.7 | 0.703 |";
    QTest::newRow("md prefilter") << 0
                                  << "| 0.684 (percentile) | 4800 | 48 | 41 / 60 | 7 | 0.854 | 0.683 | 0.759 | 0.953 |";
    QTest::newRow("md posttrain") << 0 << "|  | 2 | sheep->aeroplane | 0.067 | 0.067 | 0.067 | 7.0 | 0.649 |";
    QTest::newRow("md shift") << 0 << "| captions | 0.062 | 0.059 | 0.104 |";
    QTest::newRow("html attack")
        << 1 << "<td class=\"l\">sheep&rarr;aeroplane</td><td class=\"l\">Baseline</td><td>0.013</td>";
    QTest::newRow("html group header") << 1 << "<th colspan=\"3\" class=\"group\">Text retrieval</th>";
    QTest::newRow("latex attack") << 2 << "sheep$\\rightarrow$aeroplane & Baseline & 0.013 & 0.067 & 0.147 & 17.8 \\\\";
    QTest::newRow("latex groups") << 2
                                  << "\\multicolumn{3}{c}{Text retrieval} & \\multicolumn{3}{c}{Image retrieval} \\\\\n"
                                     "\\cmidrule(lr){2-4}\\cmidrule(lr){5-7}";
    QTest::newRow("latex utility") << 2
                                   << "Clean (golden\\_clean) & 0.533 & 0.800 & 0.900 & 0.410 & 0.750 & 0.867 \\\\";
}

void TestReportBuilder::tables()
{
    QFETCH(int, format);
    QFETCH(QString, expected);
    const std::string text = format == 2 ? m_md.latex : readFile(format == 1 ? m_html.document : m_md.document);
    QVERIFY2(text.find(expected.toStdString()) != std::string::npos,
             qPrintable("missing: " + expected + "\nin:\n" + QString::fromStdString(text.substr(0, 6000))));
}

void TestReportBuilder::latexIsBooktabsAndEscaped()
{
    const std::string &tex = m_md.latex;
    auto count = [&](const std::string &s) {
        int n = 0;
        for (std::size_t p = tex.find(s); p != std::string::npos; p = tex.find(s, p + 1))
            ++n;
        return n;
    };
    const int tables = count("\\begin{tabular}");
    QCOMPARE(tables, 7); // attack, utility, poison, epochs, shift, prefilter, posttrain
    QCOMPARE(count("\\toprule"), tables);
    QCOMPARE(count("\\bottomrule"), tables);
    QVERIFY(count("\\midrule") >= tables);
    QVERIFY(tex.find("golden\\_attack3") != std::string::npos);
    QVERIFY(tex.find("1.25\\%") != std::string::npos);
    QVERIFY(tex.find("\\label{tab:attack}") != std::string::npos);
    // Outside comments, no unescaped _ or %.
    std::istringstream lines(tex);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.rfind("%", 0) == 0)
            continue;
        for (std::size_t i = 0; i < line.size(); ++i)
            if (line[i] == '_' || line[i] == '%')
                QVERIFY2(i > 0 && line[i - 1] == '\\', line.c_str());
    }
}

void TestReportBuilder::figuresWritten()
{
    const fs::path out = m_dir / "md" / "report.md";
    const ReportOutput &r = m_md;
    QCOMPARE(r.figuresDir, m_dir / "md" / "report-figures");
    const std::string md = readFile(out);
    for (const char *name :
         {"loss", "hitk_epochs", "hitk_bars", "distance_density", "pca-clean-run-final", "pca-final", "minrank_grid",
          "hit10_grid", "prefilter_roc", "prefilter_density", "posttrain_hit", "posttrain_utility"}) {
        for (const char *ext : {".svg", ".png"}) {
            const fs::path f = r.figuresDir / (std::string(name) + ext);
            QVERIFY2(fs::is_regular_file(f) && fs::file_size(f) > 500, f.c_str());
        }
        QVERIFY2(md.find("(report-figures/" + std::string(name) + ".png)") != std::string::npos, name);
    }
    QCOMPARE(r.figures.size(), std::size_t(24));
    // No t-SNE input, no t-SNE figure.
    QVERIFY(!fs::exists(r.figuresDir / "tsne-final.png"));
    // A later report after an input went away drops the stale figure.
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    build(run, tmp / "r" / "report.md");
    QVERIFY(fs::exists(tmp / "r" / "report-figures" / "minrank_grid.svg"));
    fs::remove(run / "results/analysis/minrank_grid.json");
    build(run, tmp / "r" / "report.md");
    QVERIFY(!fs::exists(tmp / "r" / "report-figures" / "minrank_grid.svg"));
}

void TestReportBuilder::htmlIsSelfContained()
{
    const ReportOutput &r = m_html;
    const std::string html = readFile(r.document);
    QVERIFY(html.rfind("<!DOCTYPE html>", 0) == 0);
    int svgs = 0;
    for (std::size_t p = html.find("<svg "); p != std::string::npos; p = html.find("<svg ", p + 1))
        ++svgs;
    QCOMPARE(svgs, int(r.figures.size() / 2));
    QVERIFY(html.find("<?xml") == std::string::npos);
    QVERIFY(html.find("<table id=\"tab-attack\">") != std::string::npos);
    QVERIFY(html.find("</html>") != std::string::npos);
}

void TestReportBuilder::missingInputsListedNotFatal()
{
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    fs::remove(run / "results/analysis/distance_density.json");
    fs::remove_all(run / "results/defense");
    const ReportOutput r = build(run, tmp / "report.md");
    QVERIFY(listed(r, "projection_tsne.json: missing (run `poisonlab-cli analyze RUN_DIR`)"));
    QVERIFY(listed(r, "distance_density.json: missing"));
    QVERIFY(listed(r, "prefilter.json: missing"));
    QVERIFY(listed(r, "posttrain.json: missing"));
    const std::string md = readFile(r.document);
    QVERIFY(md.find("## Not rendered") != std::string::npos);
    QVERIFY(md.find("projection_tsne.json: missing") != std::string::npos);
    // Everything else is still there.
    QVERIFY(md.find("| sheep->aeroplane | Baseline | 0.013") != std::string::npos);
    QVERIFY(fs::exists(r.figuresDir / "pca-final.svg"));
    QVERIFY(!fs::exists(r.figuresDir / "distance_density.svg"));
    QVERIFY(!fs::exists(r.figuresDir / "prefilter_roc.svg"));
}

void TestReportBuilder::malformedInputListedOthersKept()
{
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    // Three rows of MinRank for four classes; a syntax error in the t-SNE file.
    auto grid = readJsonFile(run / "results/analysis/minrank_grid.json");
    grid["minrank_mean"].erase(grid["minrank_mean"].size() - 1);
    writeJsonAtomically(run / "results/analysis/minrank_grid.json", grid);
    test::writeText(run / "results/analysis/projection_tsne.json", "{\"method\": \"tsne\",\n \"models\": [1,\n");
    const ReportOutput r = build(run, tmp / "report.md");
    QVERIFY(listed(r, "minrank_grid.json: malformed: \"minrank_mean\" has 3 rows but \"classes\" lists 4"));
    QVERIFY(listed(r, "projection_tsne.json: invalid JSON at line 3"));
    QVERIFY(fs::exists(r.figuresDir / "pca-final.png"));
    QVERIFY(fs::exists(r.figuresDir / "loss.png"));
}

void TestReportBuilder::cleanRowFallsBackToInitialEvaluation()
{
    const ReportOutput r =
        build(golden("attack-run"), m_dir / "noclean" / "report.md", ReportFormat::Markdown, std::nullopt);
    const std::string md = readFile(r.document);
    QVERIFY(md.find("| Before fine-tuning | 0.550 | 0.817 | 0.900 | 0.413 | 0.747 | 0.863 |") != std::string::npos);
    QVERIFY(md.find("No clean run was given (--compare)") != std::string::npos);
    // Without an initial evaluation either: only the attacked row, and the report says why.
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    auto final = readJsonFile(run / "results/final.json");
    final["initial_evaluation"] = nullptr;
    writeJsonAtomically(run / "results/final.json", final);
    test::writeText(run / "metrics.jsonl", "");
    const ReportOutput r2 = build(run, tmp / "report.md", ReportFormat::Markdown, std::nullopt);
    QVERIFY(listed(r2, "no clean reference"));
    QVERIFY(readFile(r2.document).find("| Attacked (golden\\_attack3) | 0.517") != std::string::npos);
}

void TestReportBuilder::compareRunMismatchListed()
{
    test::TempDir tmp;
    const fs::path clean = copyRun(tmp, "clean-run");
    auto final = readJsonFile(clean / "results/final.json");
    final["evaluation"]["gallery_images"] = 500;
    writeJsonAtomically(clean / "results/final.json", final);
    const ReportOutput r = build(golden("attack-run"), tmp / "report.md", ReportFormat::Markdown, clean);
    QVERIFY(listed(r, "mismatch: the compare run evaluated pascal/test (500 images"));
    QVERIFY(!listed(build(golden("attack-run"), tmp / "ok.md"), "mismatch"));
}

// A run that measured utility on a gallery of its own (evaluation.utility) says so in the utility
// table, and its clean row must come from a run that measured it on the same gallery.
void TestReportBuilder::utilityGalleryNamedAndCompared()
{
    test::TempDir tmp;
    const nlohmann::json gallery = {
        {"dataset", "flickr30k"}, {"split", "test"}, {"gallery_images", 1000}, {"captions", 5000}};
    auto withGallery = [&](const fs::path &run) {
        auto final = readJsonFile(run / "results/final.json");
        final["evaluation"]["utility_gallery"] = gallery;
        writeJsonAtomically(run / "results/final.json", final);
    };
    const fs::path attacked = copyRun(tmp, "attack-run");
    withGallery(attacked);
    const ReportOutput r = build(attacked, tmp / "a" / "report.md");
    QVERIFY(readFile(r.document).find("Utility on flickr30k/test") != std::string::npos);
    QVERIFY(listed(r, "mismatch: the compare run evaluated pascal/test"));
    QVERIFY(listed(r, "but this run flickr30k/test (1000 images, 5000 captions)"));
    const fs::path clean = copyRun(tmp, "clean-run");
    withGallery(clean);
    QVERIFY(!listed(build(attacked, tmp / "b" / "report.md", ReportFormat::Markdown, clean), "mismatch"));
}

void TestReportBuilder::runWithoutFinalUsesMetrics()
{
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    fs::remove(run / "results/final.json");
    // A cancelled run: metrics up to epoch 1 only.
    std::istringstream in(readFile(run / "metrics.jsonl"));
    std::string line, kept;
    while (std::getline(in, line))
        if (nlohmann::json::parse(line).value("epoch", 0) <= 1)
            kept += line + "\n";
    test::writeText(run / "metrics.jsonl", kept);
    const ReportOutput r = build(run, tmp / "report.md");
    const std::string md = readFile(r.document);
    QVERIFY(md.find("results/final.json is missing") != std::string::npos);
    QVERIFY(md.find("| sheep->aeroplane | Baseline | 0.013 | 0.067 | 0.147 | 17.8 |") != std::string::npos);
    QVERIFY(md.find("|  | Ours | 0.200 | 0.533 | 0.667 | 6.7 |") != std::string::npos); // epoch 1's numbers
}

void TestReportBuilder::badRunDirectories_data()
{
    QTest::addColumn<QString>("setup");
    QTest::addColumn<QString>("message");
    QTest::newRow("no such folder") << "none"
                                    << "no such run directory";
    QTest::newRow("not a run") << "plain"
                               << "is not a PoisonLab run directory (it has no run.json)";
    QTest::newRow("no results") << "empty-run"
                                << "results/final.json: missing, and metrics.jsonl holds no evaluation";
    QTest::newRow("corrupt final.json") << "corrupt"
                                        << "results/final.json: invalid JSON at line 3";
    QTest::newRow("corrupt run.json") << "corrupt-manifest"
                                      << "run.json: invalid JSON at line 1";
}

void TestReportBuilder::badRunDirectories()
{
    QFETCH(QString, setup);
    QFETCH(QString, message);
    test::TempDir tmp;
    fs::path run = tmp / "run";
    if (setup == "plain") {
        test::writeText(run / "notes.txt", "hello");
    } else if (setup == "empty-run") {
        fs::create_directories(run);
        fs::copy_file(golden("attack-run/run.json"), run / "run.json");
    } else if (setup == "corrupt") {
        run = copyRun(tmp, "attack-run");
        test::writeText(run / "results/final.json", "{\n \"name\": \"x\",\n \"evaluation\": {,\n}\n");
    } else if (setup == "corrupt-manifest") {
        run = copyRun(tmp, "attack-run");
        test::writeText(run / "run.json", "{\"format\": \"poisonlab-run\" \"name\": 1}");
    }
    const std::string error = errorOf([&] { build(run, tmp / "out" / "report.md"); });
    QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
    QVERIFY2(error.find(run.string()) != std::string::npos, error.c_str()); // names the file
    QVERIFY(!fs::exists(tmp / "out" / "report.md"));
}

void TestReportBuilder::cli()
{
    test::TempDir tmp;
    const fs::path run = copyRun(tmp, "attack-run");
    const std::string cli = test::binary("poisonlab-cli").string();
    std::string out;
    // Defaults: RUN_DIR/report/report.md; --latex without a file writes report.tex beside it.
    QCOMPARE(test::runCommand(cli + " report --latex " + run.string(), &out), 0); // RUN_DIR is not the .tex file
    QVERIFY2(fs::exists(run / "report/report.md"), out.c_str());
    QVERIFY(fs::exists(run / "report/report.tex"));
    QVERIFY(fs::exists(run / "report/report-figures/hitk_bars.png"));
    QVERIFY(out.find("not rendered: " + (run / "results/analysis/projection_tsne.json").string()) != std::string::npos);
    // HTML to a chosen file, LaTeX to a chosen file, a clean run to compare with.
    QCOMPARE(test::runCommand(cli + " report " + run.string() + " --format html --out " + (tmp / "r/x.html").string() +
                                  " --latex=" + (tmp / "t.tex").string() + " --compare " + golden("clean-run").string(),
                              &out),
             0);
    QVERIFY2(readFile(tmp / "r/x.html").find("Clean (golden_clean)") != std::string::npos, out.c_str());
    QVERIFY(readFile(tmp / "t.tex").find("\\toprule") != std::string::npos);
    QVERIFY(fs::exists(tmp / "r/x-figures/loss.svg"));
    // --latex=- prints the tables.
    QCOMPARE(test::runCommand(cli + " report " + run.string() + " --latex=-", &out), 0);
    QVERIFY(out.find("% PoisonLab report") != std::string::npos);
    QVERIFY(out.find("sheep$\\rightarrow$aeroplane & Baseline") != std::string::npos);
    // Bad input: exit 2 with a message naming the folder.
    QCOMPARE(test::runCommand(cli + " report " + tmp.path().string(), &out), 2);
    QVERIFY2(out.find(tmp.path().string() + ": is not a PoisonLab run directory") != std::string::npos, out.c_str());
    QCOMPARE(test::runCommand(cli + " report " + run.string() + " --format pdf", &out), 2);
    QVERIFY(out.find("--format") != std::string::npos);
}

POISONLAB_TEST_MAIN(TestReportBuilder)
#include "tst_reportbuilder.moc"
