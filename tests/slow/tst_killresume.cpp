// kill -9 of `poisonlab-cli run` at 10 points spread over a run (starting, the starting model's
// evaluation, training with its checkpoints and per-epoch evaluations, the final evaluation, the
// model and results being written; each point a little jittered), then `resume` (or, when the
// kill came before the run directory existed, the same `run` again): every step loss, every
// evaluation and the final results equal an uninterrupted run's bit for bit, and metrics.jsonl
// reads as one uninterrupted run (each record once, in order).
#include "CliProcess.h"
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QProcess>
#include <QProcessEnvironment>

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <random>
#include <set>
#include <thread>

using namespace poisonlab;
using nlohmann::json;
using test::runCli;
namespace fs = std::filesystem;

namespace {

/// metrics.jsonl without the fields that measure time.
std::vector<json> records(const fs::path &run)
{
    std::vector<json> out;
    for (json r : experiment::RunDirectory::open(run).metrics()) {
        for (const char *key : {"seconds", "samples_per_s"})
            r.erase(key);
        out.push_back(r);
    }
    return out;
}

json finalEvaluation(const fs::path &run)
{
    return experiment::RunDirectory::open(run).result("final")["evaluation"];
}

} // namespace

class TestKillResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void killedAnywhereResumesToTheUninterruptedRun();
};

void TestKillResume::killedAnywhereResumesToTheUninterruptedRun()
{
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    json config = test::toyExperimentJson(dir / "toy", true);
    config["training"]["epochs"] = 6;
    config["training"]["checkpointEverySteps"] = 3;
    writeJsonAtomically(dir / "toy.json", config);
    const QString cfg = QString::fromStdString((dir / "toy.json").string());

    QString err;
    QCOMPARE(runCli({"run", cfg, "--out", QString::fromStdString((dir / "whole").string())}, &err), 0);
    const std::vector<json> expected = records(dir / "whole");
    const json expectedFinal = finalEvaluation(dir / "whole");

    std::size_t totalSteps = 0;
    for (const auto &r : expected)
        totalSteps += r.value("type", "") == "step";
    auto stepsIn = [](const fs::path &out) {
        std::size_t n = 0;
        if (fs::exists(out / "metrics.jsonl"))
            for (const auto &line : QString::fromStdString(readFile(out / "metrics.jsonl")).split('\n'))
                n += line.contains(QLatin1String("\"type\":\"step\""));
        return n;
    };
    // Ten kill points over the whole run: while starting, right after the run directory appears
    // (the starting model's evaluation), at step counts through training (checkpoints every 3
    // steps, evaluations every epoch), after the last step (final evaluation), and while the
    // model and results are written.
    using Trigger = std::function<bool(const fs::path &)>;
    const std::vector<Trigger> triggers = {
        [](const fs::path &) { return true; },
        [](const fs::path &out) { return fs::exists(out / "run.json"); },
        [&](const fs::path &out) { return stepsIn(out) >= 1; },
        [&](const fs::path &out) { return stepsIn(out) >= 3; },
        [&](const fs::path &out) { return stepsIn(out) >= 4; },
        [&](const fs::path &out) { return stepsIn(out) >= 9; },
        [&](const fs::path &out) { return stepsIn(out) >= 14; },
        [&](const fs::path &out) { return stepsIn(out) >= totalSteps - 1; },
        [&](const fs::path &out) { return stepsIn(out) >= totalSteps; },
        [](const fs::path &out) { return fs::exists(out / "model"); },
    };
    std::set<int> phases;
    std::mt19937 random(18);
    std::uniform_int_distribution<int> jitter(0, 3000); // microseconds after the trigger
    for (std::size_t k = 0; k < triggers.size(); ++k) {
        const fs::path out = dir / ("killed-" + std::to_string(k));
        const QString outArg = QString::fromStdString(out.string());
        QProcess p;
        p.start(POISONLAB_CLI_PATH, {"run", cfg, "--out", outArg});
        QVERIFY(p.waitForStarted());
        while (p.state() == QProcess::Running && !triggers[k](out))
            std::this_thread::sleep_for(std::chrono::microseconds(500));
        std::this_thread::sleep_for(std::chrono::microseconds(jitter(random)));
        p.kill(); // SIGKILL: no handler, no checkpoint, no status update
        QVERIFY(p.waitForFinished());
        const QString at = QString("kill point %1").arg(k);
        // Where the kill landed: before the run directory, during training (steps so far), or
        // after the last step (final evaluation, model and results being written).
        const bool started = fs::exists(out / "run.json");
        const std::size_t steps = stepsIn(out);
        phases.insert(!started ? 0 : steps == 0 ? 1 : steps < totalSteps ? 2 : 3);
        // Continue as a user would: resume a run directory, or start again when there is none.
        const bool finished = started && experiment::RunDirectory::open(out).manifest().status == "finished";
        if (!finished) {
            const int rc =
                started ? runCli({"resume", outArg}, &err) : runCli({"run", cfg, "--out", outArg, "--force"}, &err);
            QVERIFY2(rc == 0, qPrintable(QString("%1: %2").arg(at, err)));
        }
        const auto got = records(out);
        QVERIFY2(got == expected, qPrintable(QString("%1: metrics.jsonl differs (%2 records, expected %3)")
                                                 .arg(at)
                                                 .arg(got.size())
                                                 .arg(expected.size())));
        QVERIFY2(finalEvaluation(out) == expectedFinal, qPrintable(at + ": final.json differs"));
        QCOMPARE(experiment::RunDirectory::open(out).manifest().status, std::string("finished"));
    }
    // The kills covered the run: before its folder, before the first step, mid-training, after it.
    QVERIFY2(phases.size() == 4, qPrintable(QString("kills landed in %1 of the 4 phases").arg(phases.size())));
}

POISONLAB_TEST_MAIN(TestKillResume)
#include "tst_killresume.moc"
