// The class-pair grid's file (results/analysis/minrank_grid.json) for the workbench: computed from
// a hand-made evaluation record, its cells are the MinRank of docs/metrics.md counted by hand;
// written atomically and read back equal; a cancelled computation leaves no file; the golden
// file of tests/data/report reads as written there; malformed files are errors naming the file.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/experiment/MinRankGridFile.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Images a=(1,0), b=(0,1), c=(0.6,0.8); a caption of class a at (1,0) and one of class b at
// (0,1); class c has no captions (an empty row).
void writeTinyRecord(const fs::path &runDir)
{
    const fs::path dir = runDir / "results" / "embeddings" / "final";
    const float images[] = {1, 0, 0, 1, 0.6f, 0.8f};
    const float captions[] = {1, 0, 0, 1};
    writeNpy(dir / "images.npy", images, {3, 2});
    writeNpy(dir / "captions.npy", captions, {2, 2});
    const json index = {{"model", "final"},
                        {"classes", {"a", "b", "c"}},
                        {"images", {{{"class", "a"}}, {{"class", "b"}}, {{"class", "c"}}}},
                        {"captions", {{{"class", "a"}, {"image_row", 0}}, {{"class", "b"}, {"image_row", 1}}}}};
    writeJsonAtomically(dir / "index.json", index);
}

class CancelAfterFirstReport final : public ProgressReporter {
public:
    void report(const ProgressEvent &) override { ++m_reports; }
    bool wasCancelled() const override { return m_reports > 0; }

private:
    int m_reports = 0;
};

} // namespace

class TestMinRankGridFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void computedCellsAreCountedRanks_data();
    void computedCellsAreCountedRanks();
    void writtenFileReadsBackEqual();
    void cancelledComputationLeavesNoFile();
    void goldenFileReads();
    void malformedFilesNameTheFile_data();
    void malformedFilesNameTheFile();
};

void TestMinRankGridFile::computedCellsAreCountedRanks_data()
{
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<double>("minRank"); // -1: empty (no captions of the row's class)
    // a's caption scores (1, 0, 0.6): images above a's best 0, above b's 2, above c's 1.
    QTest::newRow("a->a") << 0 << 0 << 0.0;
    QTest::newRow("a->b") << 0 << 1 << 2.0;
    QTest::newRow("a->c") << 0 << 2 << 1.0;
    // b's caption scores (0, 1, 0.8).
    QTest::newRow("b->a") << 1 << 0 << 2.0;
    QTest::newRow("b->c") << 1 << 2 << 1.0;
    QTest::newRow("c->a empty") << 2 << 0 << -1.0;
}

void TestMinRankGridFile::computedCellsAreCountedRanks()
{
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(double, minRank);
    test::TempDir dir;
    writeTinyRecord(dir.path());
    NullProgress progress;
    const auto grid = computeMinRankGridFile(dir.path(), "final", progress);
    const auto &cell = grid.minRankMean[std::size_t(row)][std::size_t(column)];
    QCOMPARE(cell.has_value(), minRank >= 0);
    if (cell) {
        QCOMPARE(*cell, minRank);
        QCOMPARE(*grid.hitAtK[std::size_t(row)][std::size_t(column)], 1.0); // every rank is below 10
    }
}

void TestMinRankGridFile::writtenFileReadsBackEqual()
{
    test::TempDir dir;
    writeTinyRecord(dir.path());
    NullProgress progress;
    const auto grid = computeMinRankGridFile(dir.path(), "final", progress);
    const fs::path file = minRankGridPath(dir.path());
    QVERIFY(fs::is_regular_file(file));
    QCOMPARE(readJsonFile(file).value("model", ""), std::string("final"));
    const auto back = readMinRankGrid(file);
    QCOMPARE(back.classes, grid.classes);
    QCOMPARE(back.hitK, 10);
    QCOMPARE(back.queries, (std::vector<std::int64_t>{1, 1, 0}));
    QVERIFY(back.minRankMean == grid.minRankMean);
    QVERIFY(back.hitAtK == grid.hitAtK);
}

void TestMinRankGridFile::cancelledComputationLeavesNoFile()
{
    test::TempDir dir;
    writeTinyRecord(dir.path());
    CancelAfterFirstReport progress;
    QVERIFY_THROWS_EXCEPTION(CancelledError, computeMinRankGridFile(dir.path(), "final", progress));
    QVERIFY(!fs::exists(minRankGridPath(dir.path())));
    QVERIFY(!fs::exists(minRankGridPath(dir.path()).parent_path()) ||
            fs::is_empty(minRankGridPath(dir.path()).parent_path()));
}

void TestMinRankGridFile::goldenFileReads()
{
    const auto g = readMinRankGrid(minRankGridPath(test::testDataDir() / "report" / "attack-run"));
    QCOMPARE(g.classes, (std::vector<std::string>{"aeroplane", "bird", "sheep", "sofa"}));
    QCOMPARE(g.hitK, 10);
    QVERIFY(!g.minRankMean[0][0]);
    QCOMPARE(*g.minRankMean[2][0], 1.26); // sheep -> aeroplane, the attack's goal
    QCOMPARE(*g.hitAtK[2][0], 0.93);
    QCOMPARE(*g.minRankMean[3][1], 2.44);
    QVERIFY(g.queries.empty());
}

void TestMinRankGridFile::malformedFilesNameTheFile_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<QString>("problem");
    QTest::newRow("no classes") << R"({"minrank_mean": []})"
                                << "no \"classes\"";
    QTest::newRow("short matrix") << R"({"classes": ["a", "b"], "minrank_mean": [[1, 2]], "hit@10": [[1, 1], [1, 1]]})"
                                  << "2 rows";
    QTest::newRow("text cell") << R"({"classes": ["a"], "minrank_mean": [["x"]], "hit@10": [[1]]})"
                               << "neither a number nor null";
    QTest::newRow("no hit matrix") << R"({"classes": ["a"], "minrank_mean": [[1]]})"
                                   << "no \"hit@<K>\"";
}

void TestMinRankGridFile::malformedFilesNameTheFile()
{
    QFETCH(QString, content);
    QFETCH(QString, problem);
    test::TempDir dir;
    const fs::path file = dir / "minrank_grid.json";
    test::writeText(file, content.toStdString());
    try {
        readMinRankGrid(file);
        QFAIL("a malformed grid was read");
    } catch (const Error &e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains(QString::fromStdString(file.string())), qPrintable(what));
        QVERIFY2(what.contains(problem), qPrintable(what));
    }
}

POISONLAB_TEST_MAIN(TestMinRankGridFile)
#include "tst_minrankgridfile.moc"
