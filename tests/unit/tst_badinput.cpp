// The bad-input corpus (tests/data/bad/, one hand-made case per folder; the table in
// docs/reliability.md): each case fed to the command that opens it, on the real poisonlab-cli.
// Each row checks the exit code, that what the user reads names the file and the problem, that
// nothing was written where the command would write (--out), and that the case's own files are
// byte for byte what they were (a reader never repairs, truncates or rewrites what it opened).
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"

#include <map>

using namespace poisonlab;
namespace fs = std::filesystem;

namespace {

QString expand(QString text, const fs::path &bad, const fs::path &out)
{
    return text.replace("{bad}", QString::fromStdString(bad.string()))
        .replace("{out}", QString::fromStdString(out.string()));
}

} // namespace

class TestBadInput : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void cliNamesTheProblemAndKeepsTheCase_data();
    void cliNamesTheProblemAndKeepsTheCase();
    void everyCaseIsFed();
};

namespace {

struct CliRow {
    const char *name;
    const char *args; ///< {bad}: tests/data/bad, {out}: a fresh temporary folder's "out" (must stay absent)
    int exitCode;
    QStringList says; ///< in the output (stdout and stderr), or in {out}/report.md for a report written
};

const std::vector<CliRow> &cliRows()
{
    static const std::vector<CliRow> rows = {
        {"coco-annotation-cut",
         "dataset info --format coco --root {bad}/coco-annotation-cut",
         2,
         {"coco-annotation-cut/annotations/captions_train2017.json: invalid JSON at line 1, column 145",
          "unterminated string"}},
        {"csv-image-not-an-image",
         "dataset info --format csv --root {bad}/csv-image-not-an-image",
         0,
         {"Skipped (1)", "img/blue.png: not an image (unrecognised file header)"}},
        {"csv-caption-latin1",
         "dataset info --format csv --root {bad}/csv-caption-latin1",
         0,
         {"captions.csv line 3: caption is not valid UTF-8"}},
        {"csv-annotations-missing",
         "dataset info --format csv --root {bad}/csv-annotations-missing",
         2,
         {"csv-annotations-missing: no CSV/TSV file (*.csv, *.tsv) found in the dataset folder"}},
        {"csv-image-path-escapes",
         "dataset info --format csv --root {bad}/csv-image-path-escapes/root",
         0,
         {"captions.csv line 3: ../outside.png: image path escapes the dataset root"}},
        {"config-wrong-type",
         "run {bad}/config-wrong-type/config.json --out {out}",
         2,
         {"config-wrong-type/config.json: \"training\": training option 'epochs' must be an integer, got \"two\""}},
        {"config-unknown-key",
         "run {bad}/config-unknown-key/config.json --out {out}",
         2,
         {"config-unknown-key/config.json: unknown key \"trainng\" (did you mean \"training\"?)"}},
        {"config-dataset-missing",
         "run {bad}/config-dataset-missing/config.json --out {out}",
         1,
         {"config-dataset-missing/no-such-folder: dataset root folder not found"}},
        {"config-image-path-escapes",
         "run {bad}/config-image-path-escapes/config.json --out {out}",
         1,
         {"2 item(s) skipped while opening csv dataset: captions.csv line 2: ../../config-wrong-type/data/img/red.png: "
          "image path escapes the dataset root",
          "config-image-path-escapes/config.json: the training datasets hold no image-caption pairs"}},
        {"weights-truncated",
         "embed --model {bad}/weights-truncated/model.safetensors --text 'a red square'",
         2,
         {"weights-truncated/model.safetensors: corrupt safetensors file", "is the file truncated?"}},
        {"weights-text-file",
         "embed --model {bad}/weights-text-file/model.pt --text 'a red square'",
         2,
         {"weights-text-file/model.pt: corrupt safetensors file: header length",
          "runs past the end of the file (40 bytes)"}},
        {"weights-empty",
         "embed --model {bad}/weights-empty/model.safetensors --text 'a red square'",
         2,
         {"weights-empty/model.safetensors: not a safetensors file"}},
        {"run-json-cut report",
         "report {bad}/run-json-cut --out {out}/report.md",
         2,
         {"run-json-cut/run.json: invalid JSON at line 6, column 7"}},
        {"run-json-cut resume", "resume {bad}/run-json-cut", 2, {"run-json-cut/run.json: invalid JSON at line 6"}},
        {"run-json-wrong-type",
         "report {bad}/run-json-wrong-type --out {out}/report.md",
         2,
         {"run-json-wrong-type/run.json: \"datasets\"[0].\"images\" must be an integer, got \"2\""}},
        {"run-final-wrong-type report",
         "report {bad}/run-final-wrong-type --out {out}/report.md",
         2,
         {"run-final-wrong-type/results/final.json: \"evaluation\": evaluation \"utility\".\"text_retrieval\".\"r1\" "
          "must be a number, got \"high\""}},
        {"run-final-wrong-type resume",
         "resume {bad}/run-final-wrong-type",
         2,
         {"this run already finished; there is nothing to resume"}},
        // A killed run's metrics.jsonl: the report uses what is intact and lists the rest.
        {"run-metrics-cut report",
         "report {bad}/run-metrics-cut --out {out}/report.md",
         0,
         {"run-metrics-cut/metrics.jsonl: line 2: not JSON (", "; left out",
          "the tables use the last evaluation in metrics.jsonl (epoch 1)"}},
        {"run-metrics-cut resume", "resume {bad}/run-metrics-cut", 2, {"run-metrics-cut/config.json: file not found"}},
        // Defense results of the wrong shape: the report leaves their tables out and says why.
        {"run-defense-wrong-type",
         "report {bad}/run-defense-wrong-type --out {out}/report.md",
         0,
         {"results/defense/prefilter.json: malformed: type must be boolean, but is string",
          "results/defense/posttrain.json: malformed: type must be string, but is number"}},
        {"run-not-a-run report",
         "report {bad}/run-not-a-run --out {out}/report.md",
         2,
         {"run-not-a-run: is not a PoisonLab run directory (it has no run.json)"}},
        {"run-not-a-run resume",
         "resume {bad}/run-not-a-run",
         2,
         {"run-not-a-run: is not a PoisonLab run directory (it has no run.json)"}},
    };
    return rows;
}

} // namespace

void TestBadInput::cliNamesTheProblemAndKeepsTheCase_data()
{
    QTest::addColumn<int>("row");
    for (std::size_t i = 0; i < cliRows().size(); ++i)
        QTest::newRow(cliRows()[i].name) << int(i);
}

void TestBadInput::cliNamesTheProblemAndKeepsTheCase()
{
    QFETCH(int, row);
    const CliRow &r = cliRows()[std::size_t(row)];
    const fs::path bad = test::testDataDir() / "bad";
    const std::string caseName = QString(r.name).section(' ', 0, 0).toStdString();
    const auto before = test::filesUnder(bad / caseName);
    test::TempDir tmp;
    const fs::path out = tmp / "out";
    const bool writesReport = r.exitCode == 0 && QString(r.args).startsWith("report ");

    std::string output;
    const QString args = expand(r.args, bad, out);
    const int code = test::runCommand(test::binary("poisonlab-cli").string() + " " + args.toStdString(), &output);
    QString said = QString::fromStdString(output);
    if (writesReport && fs::exists(out / "report.md"))
        said += QString::fromStdString(readFile(out / "report.md"));

    QVERIFY2(code == r.exitCode, qPrintable(QString("exit %1, expected %2:\n%3").arg(code).arg(r.exitCode).arg(said)));
    for (const QString &want : r.says)
        QVERIFY2(said.contains(want), qPrintable("\"" + want + "\" not in:\n" + said));
    if (!writesReport)
        QVERIFY2(!fs::exists(out), "a failed command wrote its output folder");
    QVERIFY2(test::filesUnder(bad / caseName) == before, "the case's files changed");
}

void TestBadInput::everyCaseIsFed()
{
    // Every folder of the corpus has a row here, or is opened by the workbench test
    // (tests/ui/tst_badinputui.cpp, where the poisoned pairs are matched against a dataset).
    QStringList fed = {"run-poison-pairs-missing"};
    for (const auto &r : cliRows())
        fed << QString(r.name).section(' ', 0, 0);
    for (const auto &entry : fs::directory_iterator(test::testDataDir() / "bad"))
        if (entry.is_directory())
            QVERIFY2(fed.contains(QString::fromStdString(entry.path().filename().string())),
                     entry.path().filename().c_str());
}

POISONLAB_TEST_MAIN(TestBadInput)
#include "tst_badinput.moc"
