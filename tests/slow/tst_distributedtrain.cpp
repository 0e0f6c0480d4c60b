// Data-parallel fine-tuning through c10d's Gloo on loopback, driven through the real command line
// (`poisonlab-cli run --nproc 2`, which starts two processes as torchrun would): the same global
// batch and seed as one process give the same per-step losses (1e-5 relative) and final weights
// (1e-4), with the gathered loss and with local_loss; a run stopped part-way (SIGTERM) and resumed
// with two processes reproduces the uninterrupted one; and the bad-input cases end with a message
// naming the problem instead of a hang.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/clip/Safetensors.h"
#include "poisonlab/core/distributed/LocalLauncher.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QProcess>
#include <QProcessEnvironment>

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <thread>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

struct CliResult {
    int exitCode = -1;
    QString err;
};

QProcessEnvironment cliEnvironment(const QMap<QString, QString> &extra = {})
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *k : {"RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT", "SLURM_NTASKS"})
        env.remove(k);
    env.insert("POISONLAB_DIST_TIMEOUT_S", "60"); // a hang fails the test in a minute, not ten
    for (auto it = extra.begin(); it != extra.end(); ++it)
        env.insert(it.key(), it.value());
    return env;
}

QStringList toQt(const std::vector<std::string> &args)
{
    QStringList out;
    for (const auto &a : args)
        out << QString::fromStdString(a);
    return out;
}

CliResult runCli(const std::vector<std::string> &args, const QMap<QString, QString> &env = {}, int timeoutMs = 240000)
{
    QProcess p;
    p.setProcessEnvironment(cliEnvironment(env));
    p.start(POISONLAB_CLI_PATH, toQt(args));
    if (!p.waitForFinished(timeoutMs)) {
        p.kill();
        p.waitForFinished();
        return {-2, "timed out: " + QString::fromUtf8(p.readAllStandardError())};
    }
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardError())};
}

fs::path writeConfig(const fs::path &dir, const std::string &name, const json &config)
{
    const fs::path file = dir / (name + ".json");
    writeJsonAtomically(file, config);
    return file;
}

/// The toy experiment without per-epoch evaluation; `epochs` epochs of 4 steps (32 pairs, batch 8).
json toyConfig(const fs::path &root, int epochs)
{
    json j = test::toyExperimentJson(root, true);
    j["evaluation"]["every_epoch"] = false;
    j["training"]["epochs"] = epochs;
    return j;
}

std::map<long long, double> stepLosses(const fs::path &runDir)
{
    std::map<long long, double> out;
    for (const auto &r : experiment::RunDirectory::open(runDir).metrics())
        if (r.value("type", "") == "step")
            out[r["step"].get<long long>()] = r["loss"].get<double>();
    return out;
}

void compareLosses(const fs::path &a, const fs::path &b, double relTolerance)
{
    const auto la = stepLosses(a), lb = stepLosses(b);
    QVERIFY(!la.empty());
    QCOMPARE(la.size(), lb.size());
    for (const auto &[step, loss] : la) {
        QVERIFY2(lb.count(step), qPrintable(QString("step %1 missing").arg(step)));
        const double rel = std::abs(loss - lb.at(step)) / std::max(std::abs(loss), 1e-12);
        QVERIFY2(
            rel <= relTolerance,
            qPrintable(QString("step %1: loss %2 vs %3 (relative %4)").arg(step).arg(loss).arg(lb.at(step)).arg(rel)));
    }
}

double maxWeightDifference(const fs::path &a, const fs::path &b)
{
    const auto wa = clip::Safetensors::open(a / "model/final.safetensors").readAll();
    const auto wb = clip::Safetensors::open(b / "model/final.safetensors").readAll();
    if (wa.size() != wb.size())
        return 1e9;
    double worst = 0;
    for (std::size_t i = 0; i < wa.size(); ++i) {
        if (wa[i].first != wb[i].first || !wa[i].second.sizes().equals(wb[i].second.sizes()))
            return 1e9;
        worst = std::max(worst, (wa[i].second - wb[i].second).abs().max().item<double>());
    }
    return worst;
}

/// Waits until the run in `runDir` has recorded `steps` steps (false after two minutes).
bool waitForSteps(const fs::path &runDir, std::size_t steps)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
        if (fs::exists(runDir / "metrics.jsonl") && stepLosses(runDir).size() >= steps)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

json finalEvaluation(const fs::path &runDir)
{
    return experiment::RunDirectory::open(runDir).result("final")["evaluation"];
}

} // namespace

class TestDistributedTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void twoProcessesMatchOne_data();
    void twoProcessesMatchOne();
    void stoppedRunResumesWithTwoProcesses();
    void killedRankStopsTheOtherAndResumes();
    void badInputEndsWithAMessage_data();
    void badInputEndsWithAMessage();
    void unreachableMasterTimesOut();

private:
    std::unique_ptr<test::TempDir> m_dir;
    fs::path m_toy;
};

void TestDistributedTrain::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    m_toy = *m_dir / "toy";
    test::writeToyExperimentData(m_toy);
    // The one-process reference every data-parallel run is compared with.
    const auto cfg = writeConfig(m_dir->path(), "one", toyConfig(m_toy, 2));
    const CliResult one = runCli({"run", cfg.string(), "--out", (*m_dir / "one").string()});
    QVERIFY2(one.exitCode == 0, qPrintable(one.err));
}

void TestDistributedTrain::twoProcessesMatchOne_data()
{
    QTest::addColumn<bool>("localLoss");
    QTest::addColumn<double>("bucketMegabytes");
    QTest::newRow("gathered loss, one bucket") << false << 25.0;
    QTest::newRow("gathered loss, many small buckets") << false << 0.01;
    QTest::newRow("local_loss") << true << 0.01;
}

void TestDistributedTrain::twoProcessesMatchOne()
{
    QFETCH(bool, localLoss);
    QFETCH(double, bucketMegabytes);
    json config = toyConfig(m_toy, 2);
    config["training"]["localLoss"] = localLoss;
    config["training"]["bucketMegabytes"] = bucketMegabytes;
    const std::string name = std::string("two-") + (localLoss ? "local" : "gathered") + std::to_string(bucketMegabytes);
    const auto cfg = writeConfig(m_dir->path(), name, config);
    const CliResult two = runCli({"run", cfg.string(), "--out", (*m_dir / name).string(), "--nproc", "2"});
    QVERIFY2(two.exitCode == 0, qPrintable(two.err));

    compareLosses(*m_dir / "one", *m_dir / name, 1e-5);
    const double diff = maxWeightDifference(*m_dir / "one", *m_dir / name);
    QVERIFY2(diff <= 1e-4, qPrintable(QString("final weights differ by %1").arg(diff)));
    // Only rank 0 wrote: one step record per global step, and the run knows its world.
    const auto run = experiment::RunDirectory::open(*m_dir / name);
    QCOMPARE(run.manifest().status, std::string("finished"));
    QCOMPARE(run.manifest().extra["processes"]["world_size"].get<int>(), 2);
    QCOMPARE(stepLosses(*m_dir / name).size(), size_t(8));
    // The sharded evaluation gathers the same embeddings: the same figures as one process.
    const json a = finalEvaluation(*m_dir / "one"), b = finalEvaluation(*m_dir / name);
    QCOMPARE(b["attacks"][0]["attack"]["hit@10"].get<double>(), a["attacks"][0]["attack"]["hit@10"].get<double>());
    QVERIFY(std::abs(b["utility"]["r_mean"].get<double>() - a["utility"]["r_mean"].get<double>()) < 1e-9);
}

void TestDistributedTrain::stoppedRunResumesWithTwoProcesses()
{
    // Long enough (30 epochs x 4 steps) that the stop lands part-way; a checkpoint every step.
    json config = toyConfig(m_toy, 30);
    config["training"]["checkpointEverySteps"] = 1;
    const auto cfg = writeConfig(m_dir->path(), "long", config);
    const CliResult whole = runCli({"run", cfg.string(), "--out", (*m_dir / "whole").string(), "--nproc", "2"});
    QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));

    const fs::path stopped = *m_dir / "stopped";
    QProcess p;
    p.setProcessEnvironment(cliEnvironment());
    p.start(POISONLAB_CLI_PATH, toQt({"run", cfg.string(), "--out", stopped.string(), "--nproc", "2"}));
    QVERIFY(p.waitForStarted());
    QVERIFY(waitForSteps(stopped, 10));
    p.terminate(); // SIGTERM to the launcher, which passes it on once to both processes
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 130);
    const auto run = experiment::RunDirectory::open(stopped);
    QCOMPARE(run.manifest().status, std::string("cancelled"));
    QVERIFY2(stepLosses(stopped).size() < 120, "the run finished before it could be stopped");

    // Resuming with another number of processes is refused by name.
    const CliResult wrong = runCli({"resume", stopped.string()});
    QVERIFY(wrong.exitCode != 0);
    QVERIFY2(wrong.err.contains("--nproc 2"), qPrintable(wrong.err));
    const CliResult resumed = runCli({"resume", stopped.string(), "--nproc", "2"});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    // Bit for bit: the same processes, the same reductions, the same order.
    QCOMPARE(stepLosses(stopped), stepLosses(*m_dir / "whole"));
    QCOMPARE(maxWeightDifference(stopped, *m_dir / "whole"), 0.0);
}

// kill -9 of one process mid-run: the launcher names it and stops the other (no hang), and the
// run resumes from its last checkpoint to the uninterrupted run's losses.
void TestDistributedTrain::killedRankStopsTheOtherAndResumes()
{
    json config = toyConfig(m_toy, 30);
    config["training"]["checkpointEverySteps"] = 1;
    const auto cfg = writeConfig(m_dir->path(), "long", config);
    if (!fs::exists(*m_dir / "whole")) {
        const CliResult whole = runCli({"run", cfg.string(), "--out", (*m_dir / "whole").string(), "--nproc", "2"});
        QVERIFY2(whole.exitCode == 0, qPrintable(whole.err));
    }
    const fs::path killed = *m_dir / "killed";
    QProcess p;
    p.setProcessEnvironment(cliEnvironment());
    p.start(POISONLAB_CLI_PATH, toQt({"run", cfg.string(), "--out", killed.string(), "--nproc", "2"}));
    QVERIFY(p.waitForStarted());
    QVERIFY(waitForSteps(killed, 10));
    QProcess children;
    children.start("pgrep", {"-P", QString::number(p.processId())});
    QVERIFY(children.waitForFinished());
    const QStringList pids = QString::fromUtf8(children.readAllStandardOutput()).split('\n', Qt::SkipEmptyParts);
    QCOMPARE(pids.size(), 2);
    const auto killedAt = std::chrono::steady_clock::now();
    QCOMPARE(::kill(pids.last().toInt(), SIGKILL), 0);
    QVERIFY(p.waitForFinished(120000));
    QVERIFY(std::chrono::steady_clock::now() - killedAt < std::chrono::seconds(30)); // not the 60 s timeout
    QVERIFY(p.exitCode() != 0);
    const QString err = QString::fromUtf8(p.readAllStandardError());
    QVERIFY2(err.contains("failed (exit status 137); stopping the others"), qPrintable(err));
    QVERIFY2(stepLosses(killed).size() < 120, "the run finished before it could be killed");

    const CliResult resumed = runCli({"resume", killed.string(), "--nproc", "2"});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QCOMPARE(stepLosses(killed), stepLosses(*m_dir / "whole"));
}

void TestDistributedTrain::badInputEndsWithAMessage_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("expected");
    QTest::newRow("world size does not divide the batch") << "nproc3"
                                                          << "does not divide among 3 processes";
    QTest::newRow("ranks with different configs") << "mismatch"
                                                  << "differs from rank 0's";
    QTest::newRow("one rank cannot read its data") << "missing-data"
                                                   << "rank 1 failed while preparing";
}

void TestDistributedTrain::badInputEndsWithAMessage()
{
    QFETCH(QString, kind);
    QFETCH(QString, expected);
    const auto started = std::chrono::steady_clock::now();
    const std::string name = "bad-" + kind.toStdString();
    const auto cfg = writeConfig(m_dir->path(), name, toyConfig(m_toy, 1));
    if (kind == "nproc3") {
        const CliResult r = runCli({"run", cfg.string(), "--out", (*m_dir / name).string(), "--nproc", "3"});
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    } else {
        // Two ranks started by hand as torchrun would, rank 1 with another config.
        json other = toyConfig(m_toy, 1);
        if (kind == "mismatch")
            other["training"]["learningRate"] = 5e-4;
        else
            other["datasets"]["toy"]["root"] = (*m_dir / "no-such-folder").string();
        const auto otherCfg = writeConfig(m_dir->path(), name + "-rank1", other);
        const QString port = QString::number(distributed::freeLoopbackPort());
        QProcess ranks[2];
        for (int r = 0; r < 2; ++r) {
            ranks[r].setProcessEnvironment(
                cliEnvironment({{"RANK", QString::number(r)}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", port}}));
            ranks[r].start(POISONLAB_CLI_PATH, toQt({"run", (r == 0 ? cfg : otherCfg).string(), "--out",
                                                     (*m_dir / (name + "-" + std::to_string(r))).string()}));
        }
        for (auto &rank : ranks) {
            QVERIFY(rank.waitForFinished(120000));
            QVERIFY(rank.exitCode() != 0);
            const QString err = QString::fromUtf8(rank.readAllStandardError());
            QVERIFY2(err.contains(expected), qPrintable(err));
        }
        QVERIFY(!fs::exists(*m_dir / (name + "-0") / "results/final.json"));
    }
    // Well inside the collectives' 60 s timeout: the failure is reported, not waited out.
    QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(50));
}

void TestDistributedTrain::unreachableMasterTimesOut()
{
    const auto cfg = writeConfig(m_dir->path(), "alone", toyConfig(m_toy, 1));
    const QString port = QString::number(distributed::freeLoopbackPort());
    const CliResult r =
        runCli({"run", cfg.string(), "--out", (*m_dir / "alone").string()},
               {{"RANK", "1"}, {"WORLD_SIZE", "2"}, {"MASTER_PORT", port}, {"POISONLAB_DIST_TIMEOUT_S", "3"}});
    QVERIFY(r.exitCode != 0);
    QVERIFY2(r.err.contains("could not reach the rendezvous at 127.0.0.1:" + port), qPrintable(r.err));
}

POISONLAB_TEST_MAIN(TestDistributedTrain)
#include "tst_distributedtrain.moc"
