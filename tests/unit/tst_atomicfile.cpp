// Atomic writes never leave a half-written file; JSON errors name file, line and column.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Paths.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
namespace fs = std::filesystem;

class TestAtomicFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void writeCreatesFoldersAndReplaces();
    void failedWriteKeepsOldFile();
    void jsonErrorNamesLineAndColumn();
    void insideRoot_data();
    void insideRoot();
};

void TestAtomicFile::writeCreatesFoldersAndReplaces()
{
    test::TempDir dir;
    const fs::path file = dir / "a/b/c.json";
    writeJsonAtomically(file, {{"x", 1}});
    QCOMPARE(readJsonFile(file)["x"].get<int>(), 1);
    writeJsonAtomically(file, {{"x", 2}});
    QCOMPARE(readJsonFile(file)["x"].get<int>(), 2);
    int entries = 0;
    for (auto &e : fs::directory_iterator(file.parent_path())) {
        (void)e;
        ++entries;
    }
    QCOMPARE(entries, 1); // no temporary file left behind
}

void TestAtomicFile::failedWriteKeepsOldFile()
{
    // The final rename fails (the target is a non-empty folder), which works even as root: what
    // was there stays, the message names the target, and no temporary file is left behind.
    test::TempDir dir;
    const fs::path target = dir / "results";
    test::writeText(target / "keep.txt", "old");
    bool threw = false;
    try {
        writeFileAtomically(target, "new");
    } catch (const Error &e) {
        threw = true;
        QVERIFY2(std::string(e.what()).find("results") != std::string::npos, e.what());
    }
    QVERIFY(threw);
    QCOMPARE(readFile(target / "keep.txt"), std::string("old"));
    int entries = 0;
    for (auto &e : fs::directory_iterator(dir.path())) {
        (void)e;
        ++entries;
    }
    QCOMPARE(entries, 1);
}

void TestAtomicFile::jsonErrorNamesLineAndColumn()
{
    test::TempDir dir;
    const fs::path file = dir / "bad.json";
    test::writeText(file, "{\n  \"a\": 1,\n  \"b\": ]\n}\n");
    try {
        readJsonFile(file);
        QFAIL("no exception");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("bad.json") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("line 3") != std::string::npos, msg.c_str());
        QCOMPARE(e.file(), file);
    }
    try {
        readJsonFile(dir / "missing.json");
        QFAIL("no exception");
    } catch (const Error &e) {
        QVERIFY(std::string(e.what()).find("missing.json: file not found") != std::string::npos);
    }
}

void TestAtomicFile::insideRoot_data()
{
    QTest::addColumn<QString>("relative");
    QTest::addColumn<bool>("inside");
    QTest::newRow("plain") << "images/a.jpg" << true;
    QTest::newRow("dot-dot escapes") << "../outside.jpg" << false;
    QTest::newRow("dot-dot back in") << "images/../images/a.jpg" << true;
    QTest::newRow("absolute elsewhere") << "/etc/passwd" << false;
    QTest::newRow("symlink out") << "link/x.jpg" << false;
}

void TestAtomicFile::insideRoot()
{
    QFETCH(QString, relative);
    QFETCH(bool, inside);
    test::TempDir dir;
    fs::create_directories(dir / "root/images");
    fs::create_directories(dir / "elsewhere");
    fs::create_directory_symlink(dir / "elsewhere", dir / "root/link");
    QCOMPARE(isInsideRoot(dir / "root", relative.toStdString()), inside);
}

POISONLAB_TEST_MAIN(TestAtomicFile)
#include "tst_atomicfile.moc"
