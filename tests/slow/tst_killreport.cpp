// kill -9 of `poisonlab-cli analyze --force` and `poisonlab-cli report` halfway through each of
// the files they write over a run's analysis and report (one kill per file, injected by
// POISONLAB_KILL_AT_WRITE): after each kill every file is absent or byte for byte what an
// uninterrupted run writes (never a cut file: each goes through a temporary file and a rename),
// the run's own files are untouched, and running the command again gives the uninterrupted output.
#include "CliProcess.h"
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"

#include <QProcess>
#include <QProcessEnvironment>

#include <map>

using namespace poisonlab;
using nlohmann::json;
using test::runCli;
namespace fs = std::filesystem;

namespace {

bool isTemporary(const fs::path &file)
{
    return file.filename().string().find(".tmp-") != std::string::npos;
}

/// Every file under `dir` (relative path -> bytes), temporaries of a killed write left out.
std::map<std::string, std::string> wholeFilesUnder(const fs::path &dir)
{
    auto files = test::filesUnder(dir);
    std::erase_if(files, [](const auto &f) { return isTemporary(f.first); });
    return files;
}

} // namespace

class TestKillReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void killedWhileWritingLeavesWholeFiles_data();
    void killedWhileWritingLeavesWholeFiles();

private:
    test::TempDir m_dir;
};

void TestKillReport::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
    writeJsonAtomically(m_dir / "toy.json", test::toyExperimentJson(m_dir / "toy", true));
    QString err;
    const QString run = QString::fromStdString((m_dir / "run").string());
    QVERIFY2(runCli({"run", QString::fromStdString((m_dir / "toy.json").string()), "--out", run}, &err) == 0,
             qPrintable(err));
    QVERIFY2(runCli({"analyze", run}, &err) == 0, qPrintable(err)); // so the report has figures to draw
}

void TestKillReport::killedWhileWritingLeavesWholeFiles_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QString>("written"); // the folder it writes, inside the run
    QTest::newRow("analyze --force") << "analyze"
                                     << "results/analysis";
    QTest::newRow("report") << "report"
                            << "report";
}

void TestKillReport::killedWhileWritingLeavesWholeFiles()
{
    QFETCH(QString, command);
    QFETCH(QString, written);
    const fs::path run = m_dir / "run";
    const fs::path out = run / written.toStdString();
    QStringList args = {command, QString::fromStdString(run.string())};
    if (command == "analyze")
        args << "--force";
    QString err;
    QVERIFY2(runCli(args, &err) == 0, qPrintable(err));
    const auto expected = wholeFilesUnder(out);
    QVERIFY(expected.size() >= 2);
    auto runFiles = [&] { // the run's own files, which the command reads and must leave alone
        auto all = wholeFilesUnder(run);
        std::erase_if(all, [&](const auto &f) { return f.first.rfind(written.toStdString(), 0) == 0; });
        return all;
    };
    const auto before = runFiles();

    // Kill it halfway through its 1st, 2nd, ... write (POISONLAB_KILL_AT_WRITE, see AtomicFile.cpp),
    // through the last file it writes: each kill cuts a file off mid-write.
    for (int k = 1;; ++k) {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("POISONLAB_KILL_AT_WRITE", QString::number(k));
        p.setProcessEnvironment(env);
        p.start(POISONLAB_CLI_PATH, args);
        QVERIFY(p.waitForFinished(240000));
        if (p.exitStatus() == QProcess::NormalExit) { // it wrote fewer than k files: all cut
            QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
            QVERIFY2(k > int(expected.size()), "every file it writes must have been cut once");
            break;
        }
        const std::string at = "killed in write " + std::to_string(k) + ": ";
        for (const auto &[name, bytes] : wholeFilesUnder(out)) {
            QVERIFY2(expected.count(name), qPrintable(QString::fromStdString(at + name + " is not the command's")));
            QVERIFY2(expected.at(name) == bytes, qPrintable(QString::fromStdString(at + name + " is cut")));
        }
        QVERIFY2(runFiles() == before, qPrintable(QString::fromStdString(at + "the run's own files changed")));
    }
    QVERIFY2(runCli(args, &err) == 0, qPrintable(err));
    QVERIFY(wholeFilesUnder(out) == expected);
}

POISONLAB_TEST_MAIN(TestKillReport)
#include "tst_killreport.moc"
