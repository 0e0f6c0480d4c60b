// Run directories: the layout, atomic JSON files, append-only metrics that survive a cut-off
// line, refusal to overwrite a run without --force, and clear errors for folders that are not runs.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Version.h"
#include "poisonlab/core/experiment/DatasetChecksum.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <nlohmann/json.hpp>

#include <fstream>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

RunManifest sampleManifest()
{
    RunManifest m;
    m.name = "unit";
    m.projectVersion = projectVersion();
    m.torchVersion = "1.13.1";
    m.device = "cpu";
    m.seed = 5;
    m.seeds = {{"attack", 5}, {"training", 5}};
    m.datasets.push_back({"pascal", "pascal-sentences", "/data/pascal", 10, 50, "fnv1a64:0123456789abcdef"});
    return m;
}

size_t entries(const fs::path &dir)
{
    size_t n = 0;
    for (auto it = fs::directory_iterator(dir); it != fs::directory_iterator(); ++it)
        ++n;
    return n;
}

} // namespace

class TestRunDirectory : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void createsLayout();
    void refusesToOverwriteWithoutForce();
    void refusesFoldersThatAreNotRuns();
    void runStoppedWhileBeingCreatedStartsAgainWithForce();
    void metricsAreAppendOnlyAndRobust();
    void checksumFollowsContentNotLocation();
};

void TestRunDirectory::createsLayout()
{
    test::TempDir tmp;
    const RunDirectory run = RunDirectory::create(tmp / "run1", sampleManifest());
    QVERIFY(RunDirectory::isRunDirectory(tmp / "run1"));
    QVERIFY(fs::is_directory(run.checkpointsDir()));
    QVERIFY(fs::is_directory(run.resultsDir()));
    const json j = readJsonFile(run.manifestPath());
    QCOMPARE(j["format"].get<std::string>(), std::string("poisonlab-run"));
    QCOMPARE(j["poisonlab_version"].get<std::string>(), projectVersion());
    QCOMPARE(j["datasets"][0]["checksum"].get<std::string>(), std::string("fnv1a64:0123456789abcdef"));
    QVERIFY(!j["created"].get<std::string>().empty());
    run.writeConfig({{"name", "unit"}});
    QCOMPARE(run.config()["name"].get<std::string>(), std::string("unit"));
    run.updateManifest([](RunManifest &m) { m.status = "finished"; });
    QCOMPARE(RunDirectory::open(tmp / "run1").manifest().status, std::string("finished"));
    run.writeResult("final", {{"hit@10", 0.9}});
    QCOMPARE(run.result("final")["hit@10"].get<double>(), 0.9);
    QCOMPARE(entries(run.resultsDir()), size_t(1)); // no temporary file left behind
    run.log("hello");
    QVERIFY(readFile(run.logPath()).find("hello\n") != std::string::npos);
}

void TestRunDirectory::refusesToOverwriteWithoutForce()
{
    test::TempDir tmp;
    const RunDirectory first = RunDirectory::create(tmp / "run", sampleManifest());
    first.writeConfig({{"name", "first"}});
    first.appendMetrics({{"type", "step"}, {"step", 1}});
    test::writeText(tmp / "run" / "report" / "report.md", "old report");
    try {
        RunDirectory::create(tmp / "run", sampleManifest());
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("--force") != std::string::npos, e.what());
    }
    QCOMPARE(first.config()["name"].get<std::string>(), std::string("first")); // untouched
    QCOMPARE(first.metrics().size(), size_t(1));
    const RunDirectory second = RunDirectory::create(tmp / "run", sampleManifest(), true);
    QVERIFY(!fs::exists(second.configPath()));
    QVERIFY(second.metrics().empty());
    QVERIFY(!fs::exists(tmp / "run" / "report")); // a stale report of the replaced run goes too
}

// Killed after its first files but before run.json (#18): the folder holds only run entries; it
// is named as such without --force and started again with it. `fill` runs before run.json.
void TestRunDirectory::runStoppedWhileBeingCreatedStartsAgainWithForce()
{
    test::TempDir tmp;
    test::writeText(tmp / "run/config.json", "{}");
    test::writeText(tmp / "run/poison/manifest.json.tmp-1-2", "{");
    try {
        RunDirectory::create(tmp / "run", sampleManifest());
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("stopped while its folder was being created") != std::string::npos,
                 e.what());
    }
    bool manifestBeforeFill = true;
    const RunDirectory run = RunDirectory::create(tmp / "run", sampleManifest(), true, [&](const RunDirectory &r) {
        manifestBeforeFill = std::filesystem::exists(r.path() / "run.json");
        r.writeConfig({{"name", "again"}});
    });
    QVERIFY(!manifestBeforeFill);
    QCOMPARE(run.config()["name"].get<std::string>(), std::string("again"));
    QVERIFY(!std::filesystem::exists(tmp / "run/poison/manifest.json.tmp-1-2"));
}

void TestRunDirectory::refusesFoldersThatAreNotRuns()
{
    test::TempDir tmp;
    test::writeText(tmp / "notes/thesis.tex", "precious");
    for (bool force : {false, true}) {
        try {
            RunDirectory::create(tmp / "notes", sampleManifest(), force);
            QFAIL("no error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find("is not a PoisonLab run directory") != std::string::npos, e.what());
        }
    }
    QCOMPARE(readFile(tmp / "notes/thesis.tex"), std::string("precious"));
    try {
        RunDirectory::open(tmp / "notes");
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("notes: is not a PoisonLab run directory") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, RunDirectory::open(tmp / "missing"));
    test::writeText(tmp / "fake/run.json", R"({"format": "something-else"})");
    QVERIFY(!RunDirectory::isRunDirectory(tmp / "fake"));
    QVERIFY_THROWS_EXCEPTION(Error, RunDirectory::open(tmp / "fake"));
    // An empty folder may become a run.
    fs::create_directories(tmp / "empty");
    RunDirectory::create(tmp / "empty", sampleManifest());
    QVERIFY(RunDirectory::isRunDirectory(tmp / "empty"));
}

void TestRunDirectory::metricsAreAppendOnlyAndRobust()
{
    test::TempDir tmp;
    const RunDirectory run = RunDirectory::create(tmp / "run", sampleManifest());
    for (int s = 1; s <= 4; ++s)
        run.appendMetrics({{"type", "step"}, {"step", s}, {"loss", 1.0 / s}});
    QCOMPARE(run.metrics().size(), size_t(4));
    {
        std::ofstream cut(run.metricsPath(), std::ios::app); // a line cut short by a kill
        cut << R"({"type": "step", "st)";
    }
    QCOMPARE(run.metrics().size(), size_t(4));
    run.filterMetrics([](const json &r) { return r["step"].get<int>() <= 2; }); // resume from step 2
    const auto kept = run.metrics();
    QCOMPARE(kept.size(), size_t(2));
    QCOMPARE(kept.back()["step"].get<int>(), 2);
    run.appendMetrics({{"type", "step"}, {"step", 3}});
    QCOMPARE(run.metrics().size(), size_t(3));
    // Each record is one line of JSON.
    std::ifstream in(run.metricsPath());
    std::string line;
    int lines = 0;
    while (std::getline(in, line)) {
        QVERIFY(json::accept(line));
        ++lines;
    }
    QCOMPARE(lines, 3);
}

void TestRunDirectory::checksumFollowsContentNotLocation()
{
    data::Dataset a;
    a.classes = {"sheep"};
    a.root = "/one";
    a.images.push_back({"s.png", "s", 0, 0, {0}, 0, data::Split::Train});
    a.captions.push_back({0, "a sheep"});
    data::Dataset b = a;
    b.root = "/two";
    QCOMPARE(datasetChecksum(a), datasetChecksum(b));
    QVERIFY(datasetChecksum(a).rfind("fnv1a64:", 0) == 0);
    b.captions[0].text = "a sheep.";
    QVERIFY(datasetChecksum(a) != datasetChecksum(b));
    b = a;
    b.images[0].split = data::Split::Test;
    QVERIFY(datasetChecksum(a) != datasetChecksum(b));
}

POISONLAB_TEST_MAIN(TestRunDirectory)
#include "tst_rundirectory.moc"
