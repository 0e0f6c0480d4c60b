// A sweep end to end on the toy experiment through the real `poisonlab-cli`: `sweep --local`
// runs two cells, `sweep-status` reads both as finished with their metrics (table and JSON), a
// second `--local` skips them; a cancelled cell is resumed by the local runner; bad grids exit 2.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/LocalSweepRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/SweepFolder.h"
#include "poisonlab/core/experiment/SweepStatus.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

class TestSweepRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void localSweepThroughTheCli();
    void cancelledCellIsResumed();
    void badGridExits2_data();
    void badGridExits2();

private:
    std::string cli(const std::string &args, int *rc) const
    {
        std::string out;
        *rc = test::runCommand(test::binary("poisonlab-cli").string() + " " + args, &out);
        return out;
    }

    test::TempDir m_dir;
};

void TestSweepRun::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
    json config = test::toyExperimentJson(m_dir / "toy", true);
    config["training"]["epochs"] = 1;
    config["evaluation"]["every_epoch"] = false;
    writeJsonAtomically(m_dir / "exp.json", config);
}

void TestSweepRun::localSweepThroughTheCli()
{
    const fs::path sweep = m_dir / "sweep";
    int rc = -1;
    std::string out = cli("sweep " + (m_dir / "exp.json").string() + " --grid attack.options.rate=0.5,1 --out " +
                              sweep.string() + " --local",
                          &rc);
    QVERIFY2(rc == 0, out.c_str());
    QVERIFY2(out.find("rate=0.5: started, finished") != std::string::npos, out.c_str());
    QVERIFY2(out.find("rate=1.0: started, finished") != std::string::npos, out.c_str());

    // sweep-status: both finished, with the first goal's figures.
    out = cli("sweep-status " + sweep.string() + " --json", &rc);
    QVERIFY2(rc == 0, out.c_str());
    const json status = json::parse(out.substr(out.find('{')));
    QCOMPARE(status["cells"].size(), size_t(2));
    for (const auto &cell : status["cells"]) {
        QCOMPARE(cell["state"].get<std::string>(), std::string("finished"));
        QVERIFY(cell["evaluation"]["attacks"][0]["attack"].contains("hit@10"));
    }
    QCOMPARE(status["axes"][0]["key"].get<std::string>(), std::string("attack.options.rate"));
    const auto cells = readSweepStatus(sweep);
    QVERIFY(cells[0].final && cells[1].final);
    // The two rates poisoned different numbers of pairs: the cells really ran their own configs.
    const json poison0 = RunDirectory::open(sweep / cells[0].cell.runDir).result("final")["poison"];
    const json poison1 = RunDirectory::open(sweep / cells[1].cell.runDir).result("final")["poison"];
    QCOMPARE(poison0["poisoned_pairs"].get<int>(), 4);
    QCOMPARE(poison1["poisoned_pairs"].get<int>(), 8);

    out = cli("sweep-status " + sweep.string(), &rc);
    QVERIFY2(rc == 0 && out.find("Hit@10") != std::string::npos, out.c_str());
    QVERIFY2(out.find("2 cells: 2 finished") != std::string::npos, out.c_str());

    // Again: nothing reruns.
    const std::string updated = RunDirectory::open(sweep / cells[0].cell.runDir).manifest().updated;
    out = cli("sweep " + (m_dir / "exp.json").string() + " --grid attack.options.rate=0.5,1 --out " + sweep.string() +
                  " --local",
              &rc);
    QVERIFY2(rc == 0, out.c_str());
    QVERIFY2(out.find("rate=0.5: already finished") != std::string::npos, out.c_str());
    QVERIFY2(out.find("rate=1.0: already finished") != std::string::npos, out.c_str());
    QCOMPARE(RunDirectory::open(sweep / cells[0].cell.runDir).manifest().updated, updated);
}

void TestSweepRun::cancelledCellIsResumed()
{
    const fs::path sweep = m_dir / "cancel";
    SweepFolder::expandFile(m_dir / "exp.json", {}, {"seed=1"}, sweep);
    CallbackProgress *self = nullptr;
    CallbackProgress cancelling([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= 2)
            self->cancel();
    });
    self = &cancelling;
    QVERIFY_THROWS_EXCEPTION(CancelledError, LocalSweepRunner::run(sweep, cancelling));
    QCOMPARE(readSweepStatus(sweep)[0].state, std::string("cancelled"));

    std::vector<std::string> sweepEvents;
    CallbackProgress quiet([&](const ProgressEvent &e) {
        if (e.stage == "sweep")
            sweepEvents.push_back(e.message);
    });
    const auto outcomes = LocalSweepRunner::run(sweep, quiet);
    QCOMPARE(outcomes.size(), size_t(1));
    QCOMPARE(outcomes[0].action, std::string("resumed"));
    QCOMPARE(outcomes[0].state, std::string("finished"));
    QCOMPARE(readSweepStatus(sweep)[0].state, std::string("finished"));
    QCOMPARE(sweepEvents, (std::vector<std::string>{"seed=1", "done"}));
}

void TestSweepRun::badGridExits2_data()
{
    QTest::addColumn<QString>("grid");
    QTest::addColumn<QString>("message");
    QTest::newRow("not a key") << "attack.options.rat=0.1"
                               << "\"attack.options.rat\" is not a config key";
    QTest::newRow("wrong type") << "training.epochs=two"
                                << "value \"two\" is not an integer";
}

void TestSweepRun::badGridExits2()
{
    QFETCH(QString, grid);
    QFETCH(QString, message);
    int rc = -1;
    const std::string out = cli("sweep " + (m_dir / "exp.json").string() + " --grid " + grid.toStdString() + " --out " +
                                    (m_dir / "bad").string(),
                                &rc);
    QCOMPARE(rc, 2);
    QVERIFY2(out.find(message.toStdString()) != std::string::npos, out.c_str());
    QVERIFY(!fs::exists(m_dir / "bad"));
}

POISONLAB_TEST_MAIN(TestSweepRun)
#include "tst_sweeprun.moc"
