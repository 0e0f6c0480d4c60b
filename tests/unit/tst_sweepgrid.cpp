// Sweep expansion without training: grid parsing typed by the config, cell names and overrides,
// zipped class-pair axes, bad keys and values, sweep.json round trip, the per-cell configs,
// refusal of a folder made from another config, growing the same sweep, and the Slurm script
// (bash -n, its #SBATCH options, and what each array task runs).
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/experiment/SlurmScriptWriter.h"
#include "poisonlab/core/experiment/SweepFolder.h"
#include "poisonlab/core/experiment/SweepGrid.h"
#include "poisonlab/core/experiment/SweepStatus.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

std::vector<std::string> toStd(const QStringList &list)
{
    std::vector<std::string> out;
    for (const auto &s : list)
        out.push_back(s.toStdString());
    return out;
}

} // namespace

class TestSweepGrid : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cells_data();
    void cells();
    void typedValues_data();
    void typedValues();
    void badGrid_data();
    void badGrid();
    void cellConfigsAreValidatedBeforeWriting();
    void indexRoundTripAndCellConfigs();
    void pairSweepGoalsFollowThePair();
    void statusFromTheRunDirectory_data();
    void statusFromTheRunDirectory();
    void refusesAnotherConfigsFolder();
    void sameConfigGrowsAndKeepsCells();
    void slurmScriptOptions_data();
    void slurmScriptOptions();
    void slurmScriptRunsTheTasksCell();
    void slurmBadOptions_data();
    void slurmBadOptions();

private:
    json base() const { return test::toyExperimentJson(m_dir / "toy", true); }
    json resolved() const { return ExperimentConfig::fromJson(base()).toJson(); }
    SweepIndex expandTo(const fs::path &dir, const std::vector<std::string> &grid, json config = nullptr) const
    {
        return SweepFolder::expand(config.is_null() ? base() : config, {}, {}, grid, dir);
    }

    test::TempDir m_dir;
};

void TestSweepGrid::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
}

void TestSweepGrid::cells_data()
{
    QTest::addColumn<QStringList>("grid");
    QTest::addColumn<QStringList>("names");
    QTest::addColumn<QString>("firstOverrides");
    QTest::newRow("one axis") << QStringList{"attack.options.rate=0.25,0.5"} << QStringList{"rate=0.25", "rate=0.5"}
                              << R"({"attack.options.rate":0.25})";
    QTest::newRow("product, first axis slowest")
        << QStringList{"attack.options.rate=0.25,0.5", "seed=1,2"}
        << QStringList{"rate=0.25_seed=1", "rate=0.25_seed=2", "rate=0.5_seed=1", "rate=0.5_seed=2"}
        << R"({"attack.options.rate":0.25,"seed":1})";
    QTest::newRow("zipped class pairs")
        << QStringList{"attack.options.source+attack.options.target=sheep:aeroplane,dog:cat"}
        << QStringList{"source+target=sheep+aeroplane", "source+target=dog+cat"}
        << R"({"attack.options.source":"sheep","attack.options.target":"aeroplane"})";
    QTest::newRow("same last part: longer labels")
        << QStringList{"seed=1", "training.seed=2,3"} << QStringList{"seed=1_training.seed=2", "seed=1_training.seed=3"}
        << R"({"seed":1,"training.seed":2})";
    QTest::newRow("bool, list element, file-safe")
        << QStringList{"evaluation.every_epoch=false", "evaluation.goals.0.source=a dog/cat"}
        << QStringList{"every_epoch=false_source=a-dog-cat"}
        << R"({"evaluation.every_epoch":false,"evaluation.goals.0.source":"a dog/cat"})";
}

void TestSweepGrid::cells()
{
    QFETCH(QStringList, grid);
    QFETCH(QStringList, names);
    QFETCH(QString, firstOverrides);
    const auto cells = SweepGrid::parse(resolved(), toStd(grid)).cells();
    QCOMPARE(cells.size(), size_t(names.size()));
    for (std::size_t i = 0; i < cells.size(); ++i) {
        QCOMPARE(QString::fromStdString(cells[i].name), names[int(i)]);
        QCOMPARE(cells[i].runDir, fs::path("cells") / cells[i].name / "run");
        QCOMPARE(cells[i].configFile, fs::path("cells") / cells[i].name / "config.json");
    }
    QCOMPARE(cells[0].overrides.dump(), json::parse(firstOverrides.toStdString()).dump());
    // Stable: the same grid gives the same names again.
    QCOMPARE(SweepGrid::parse(resolved(), toStd(grid)).cells()[0].name, cells[0].name);
}

void TestSweepGrid::typedValues_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("value"); // the typed value's dump
    QTest::newRow("plugin number option written as 1") << "attack.options.rate=1"
                                                       << "1.0";
    QTest::newRow("integer") << "training.epochs=3"
                             << "3";
    QTest::newRow("number in exponent form") << "training.learningRate=1e-4"
                                             << "0.0001";
    QTest::newRow("bool") << "evaluation.every_epoch=false"
                          << "false";
    QTest::newRow("string") << "attack.options.source=dog"
                            << "\"dog\"";
    QTest::newRow("evaluation option left at its default") << "evaluation.options.batchSize=64"
                                                           << "64";
    QTest::newRow("plugin option left at its default (not in the config)") << "attack.options.seed=7"
                                                                           << "7";
}

void TestSweepGrid::typedValues()
{
    QFETCH(QString, spec);
    QFETCH(QString, value);
    const SweepAxis axis = SweepGrid::parseAxis(resolved(), spec.toStdString());
    QCOMPARE(axis.values.size(), size_t(1));
    QCOMPARE(QString::fromStdString(axis.values[0].dump()), value);
}

void TestSweepGrid::badGrid_data()
{
    QTest::addColumn<QString>("spec");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option") << "attack.options.rat=0.1"
                                    << "\"attack.options.rat\" is not a config key";
    QTest::newRow("unknown key") << "training.epochz=1"
                                 << "\"training.epochz\" is not a config key";
    QTest::newRow("unknown section") << "trainin.epochs=1"
                                     << "\"trainin.epochs\" is not a config key";
    QTest::newRow("integer expected") << "training.epochs=1.5"
                                      << "value \"1.5\" is not an integer";
    QTest::newRow("number expected") << "attack.options.rate=abc"
                                     << "value \"abc\" is not a number";
    QTest::newRow("bool expected") << "evaluation.every_epoch=yes"
                                   << "value \"yes\" is not true or false";
    QTest::newRow("zipped value with one part") << "attack.options.source+attack.options.target=sheep"
                                                << "needs 2 parts separated by ':'";
    QTest::newRow("no =") << "attack.options.rate"
                          << "--grid expects KEY=V1,V2";
    QTest::newRow("no values") << "attack.options.rate="
                               << "--grid expects KEY=V1,V2";
    QTest::newRow("list index out of range") << "evaluation.goals.3.source=dog"
                                             << "is not an index in it";
    QTest::newRow("a whole section") << "training=1"
                                     << "cannot sweep as a whole";
    QTest::newRow("repeated value") << "seed=1,2,1"
                                    << "value \"1\" is given twice";
}

void TestSweepGrid::badGrid()
{
    QFETCH(QString, spec);
    QFETCH(QString, message);
    const std::string error = errorOf([&] { SweepGrid::parse(resolved(), {spec.toStdString()}); });
    QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
    // The same key in two --grid options is refused too.
    const std::string twice = errorOf([&] { SweepGrid::parse(resolved(), {"seed=1", "seed=2"}); });
    QVERIFY2(twice.find("swept twice") != std::string::npos, twice.c_str());
}

void TestSweepGrid::cellConfigsAreValidatedBeforeWriting()
{
    test::TempDir dir;
    // A value every key accepts as text but the config does not: an unknown attack plugin.
    const std::string error = errorOf([&] { expandTo(dir / "s", {"attack.plugin=attack-single-target-label,nope"}); });
    QVERIFY2(error.find("cell plugin=nope") != std::string::npos, error.c_str());
    QVERIFY2(error.find("unknown attack plugin") != std::string::npos, error.c_str());
    QVERIFY(!fs::exists(dir / "s")); // nothing written, not even the valid cell
}

void TestSweepGrid::indexRoundTripAndCellConfigs()
{
    test::TempDir dir;
    const SweepIndex made = expandTo(dir / "s", {"attack.options.rate=0.5,1", "training.epochs=1"});
    const SweepIndex read = SweepIndex::load(dir / "s");
    QCOMPARE(read.toJson().dump(), made.toJson().dump());
    QCOMPARE(read.configName, std::string("toy"));
    QCOMPARE(read.configHash, sweepConfigHash(resolved()));
    QCOMPARE(read.cells.size(), size_t(2));
    QCOMPARE(read.axes[0].values[1].dump(), std::string("1.0"));
    QVERIFY(read.axisFor("training.epochs") == &read.axes[1]);
    // Each cell's config is the base with its overrides, loadable as it is.
    const ExperimentConfig cell = ExperimentConfig::load(dir / "s" / read.cells[0].configFile);
    QCOMPARE(cell.attack->options["rate"].get<double>(), 0.5);
    QCOMPARE(cell.training["epochs"].get<int>(), 1);
    QCOMPARE(cell.name, std::string("toy-rate=0.5_epochs=1"));
    // Nothing ran yet.
    for (const auto &s : readSweepStatus(dir / "s"))
        QCOMPARE(s.state, std::string("pending"));
    // A file that is not an index says so.
    writeJsonAtomically(dir / "bad" / "sweep.json", json{{"format", "poisonlab-sweep"}, {"cells", 3}});
    const std::string error = errorOf([&] { SweepIndex::load(dir / "bad"); });
    QVERIFY2(error.find("not a sweep index") != std::string::npos, error.c_str());
}

void TestSweepGrid::pairSweepGoalsFollowThePair()
{
    test::TempDir dir;
    json config = base(); // attack and first goal: sheep -> aeroplane; a second goal of its own
    config["evaluation"]["goals"].push_back({{"source", "cat"}, {"target", "sheep"}});
    const SweepIndex index =
        expandTo(dir / "s", {"attack.options.source+attack.options.target=sheep:aeroplane,dog:cat"}, config);
    const ExperimentConfig cell = ExperimentConfig::load(dir / "s" / index.cells[1].configFile);
    QCOMPARE(cell.attack->options["source"].get<std::string>(), std::string("dog"));
    QCOMPARE(cell.evalGoals.size(), size_t(2));
    QCOMPARE(cell.evalGoals[0].source + "->" + cell.evalGoals[0].target, std::string("dog->cat"));
    QCOMPARE(cell.evalGoals[1].source + "->" + cell.evalGoals[1].target, std::string("cat->sheep"));
    // A grid that sets the goals itself keeps them as it says.
    const SweepIndex own = expandTo(
        dir / "own", {"attack.options.source+attack.options.target+evaluation.goals.0.target=dog:cat:sheep"}, config);
    const ExperimentConfig ownCell = ExperimentConfig::load(dir / "own" / own.cells[0].configFile);
    QCOMPARE(ownCell.evalGoals[0].source + "->" + ownCell.evalGoals[0].target, std::string("sheep->sheep"));
    QCOMPARE(QString::fromStdString(own.cells[0].name), QString("source+options.target+goals.0.target=dog+cat+sheep"));
}

void TestSweepGrid::statusFromTheRunDirectory_data()
{
    QTest::addColumn<QString>("manifestStatus");
    QTest::addColumn<QString>("state");
    QTest::addColumn<bool>("withFinal");
    QTest::newRow("created but never trained") << "created"
                                               << "pending" << false;
    QTest::newRow("running") << "running"
                             << "running" << false;
    QTest::newRow("cancelled") << "cancelled"
                               << "cancelled" << false;
    QTest::newRow("failed, with its error") << "failed"
                                            << "failed" << false;
    QTest::newRow("finished, with its evaluation") << "finished"
                                                   << "finished" << true;
}

void TestSweepGrid::statusFromTheRunDirectory()
{
    QFETCH(QString, manifestStatus);
    QFETCH(QString, state);
    QFETCH(bool, withFinal);
    test::TempDir dir;
    const SweepIndex index = expandTo(dir / "s", {"seed=1,2"});
    RunManifest manifest;
    manifest.status = manifestStatus.toStdString();
    manifest.error = manifest.status == "failed" ? "boom" : "";
    const RunDirectory run = RunDirectory::create(dir / "s" / index.cells[1].runDir, manifest);
    eval::EvaluationResult figures;
    figures.utility.rMean = 0.25;
    if (withFinal)
        run.writeResult("final", json{{"evaluation", figures.toJson()}});
    const auto status = readSweepStatus(dir / "s");
    QCOMPARE(status[0].state, std::string("pending")); // no run directory at all
    QCOMPARE(QString::fromStdString(status[1].state), state);
    QCOMPARE(status[1].error, manifest.error);
    QCOMPARE(status[1].final.has_value(), withFinal);
    if (withFinal)
        QCOMPARE(status[1].final->utility.rMean, 0.25);
}

void TestSweepGrid::refusesAnotherConfigsFolder()
{
    test::TempDir dir;
    expandTo(dir / "s", {"attack.options.rate=0.5,1"});
    const std::string before = readFile(dir / "s" / "sweep.json");
    json other = base();
    other["training"]["learningRate"] = 5e-4;
    const std::string error = errorOf([&] { expandTo(dir / "s", {"attack.options.rate=0.5,1"}, other); });
    QVERIFY2(error.find("is a sweep of another config") != std::string::npos, error.c_str());
    QVERIFY2(error.find("they differ at /training/learningRate") != std::string::npos, error.c_str());
    QCOMPARE(readFile(dir / "s" / "sweep.json"), before); // nothing changed
    // The same config over other keys is refused too, and so is a folder that is not a sweep.
    const std::string keys = errorOf([&] { expandTo(dir / "s", {"seed=1,2"}); });
    QVERIFY2(keys.find("sweeps attack.options.rate, not seed") != std::string::npos, keys.c_str());
    test::writeText(dir / "notasweep" / "x.txt", "mine");
    const std::string foreign = errorOf([&] { expandTo(dir / "notasweep", {"seed=1,2"}); });
    QVERIFY2(foreign.find("is not a sweep folder") != std::string::npos, foreign.c_str());
}

void TestSweepGrid::sameConfigGrowsAndKeepsCells()
{
    test::TempDir dir;
    const SweepIndex first = expandTo(dir / "s", {"attack.options.rate=0.5", "seed=1,2"});
    // A cell that has run: its folder must survive the new expansion untouched.
    const fs::path marker = dir / "s" / first.cells[0].runDir / "run.json";
    test::writeText(marker, "kept");
    const SweepIndex grown = expandTo(dir / "s", {"attack.options.rate=1,0.5", "seed=2"});
    QCOMPARE(grown.cells.size(), size_t(4)); // rates {0.5, 1} x seeds {1, 2}
    QCOMPARE(grown.cells[0].name, first.cells[0].name);
    QCOMPARE(grown.cells[1].name, first.cells[1].name);
    QCOMPARE(grown.cells[2].name, std::string("rate=1.0_seed=1"));
    QCOMPARE(readFile(marker), std::string("kept"));
    QCOMPARE(grown.created, first.created);
}

void TestSweepGrid::slurmScriptOptions_data()
{
    QTest::addColumn<QString>("line");
    QTest::newRow("array with throttle") << "#SBATCH --array=0-3%2";
    QTest::newRow("partition") << "#SBATCH --partition=gpu";
    QTest::newRow("gpus") << "#SBATCH --gpus-per-task=1";
    QTest::newRow("cpus") << "#SBATCH --cpus-per-task=8";
    QTest::newRow("time") << "#SBATCH --time=1-02:00:00";
    QTest::newRow("account") << "#SBATCH --account=proj42";
    QTest::newRow("memory") << "#SBATCH --mem=32G";
    QTest::newRow("extra line") << "#SBATCH --qos=high";
    QTest::newRow("extra line given whole") << "#SBATCH --constraint=a100";
    QTest::newRow("job name") << "#SBATCH --job-name=poisonlab-toy";
    QTest::newRow("threads follow the CPUs") << "export OMP_NUM_THREADS=\"${SLURM_CPUS_PER_TASK:-8}\"";
}

void TestSweepGrid::slurmScriptOptions()
{
    QFETCH(QString, line);
    test::TempDir dir;
    const SweepIndex index = expandTo(dir / "s", {"attack.options.rate=0.5,1", "seed=1,2"});
    SlurmOptions o;
    o.partition = "gpu";
    o.gpusPerTask = 1;
    o.cpusPerTask = 8;
    o.time = "1-02:00:00";
    o.account = "proj42";
    o.memory = "32G";
    o.throttle = 2;
    o.extra = {"--qos=high", "#SBATCH --constraint=a100"};
    const fs::path file = SlurmScriptWriter::write(dir / "s", index, o);
    QVERIFY(fs::is_directory(dir / "s" / "logs"));
    QVERIFY((fs::status(file).permissions() & fs::perms::owner_exec) != fs::perms::none);
    std::string out;
    QCOMPARE(test::runCommand("bash -n " + file.string(), &out), 0);
    const std::string text = readFile(file);
    QVERIFY2(text.find(line.toStdString() + "\n") != std::string::npos, text.c_str());
    // Without the options, none of their lines.
    const std::string plain = SlurmScriptWriter::script(dir / "s", index, {});
    QVERIFY(plain.find("--partition") == std::string::npos && plain.find("--gpus-per-task") == std::string::npos);
    QVERIFY(plain.find("#SBATCH --array=0-3\n") != std::string::npos);
}

void TestSweepGrid::slurmScriptRunsTheTasksCell()
{
    test::TempDir dir;
    const SweepIndex index = expandTo(dir / "s", {"attack.options.rate=0.5,1"});
    SlurmOptions o;
    o.gpusPerTask = 1;
    const fs::path script = SlurmScriptWriter::write(dir / "s", index, o);
    // A stand-in CLI that records its arguments.
    test::writeText(dir / "cli.sh", "#!/bin/sh\necho \"$@\" > " + (dir / "args").string() + "\n");
    fs::permissions(dir / "cli.sh", fs::perms::owner_all);
    const fs::path s = fs::absolute(dir / "s");
    auto task = [&](int id) {
        fs::remove(dir / "args");
        const std::string cmd = "POISONLAB_CLI=" + (dir / "cli.sh").string() +
                                " SLURM_ARRAY_TASK_ID=" + std::to_string(id) + " bash " + script.string();
        std::string out;
        const int rc = test::runCommand(cmd, &out);
        return std::make_pair(rc, fs::exists(dir / "args") ? readFile(dir / "args") : std::string("(not run)\n"));
    };
    QCOMPARE(task(1).second, "run " + (s / index.cells[1].configFile).string() + " --out " +
                                 (s / index.cells[1].runDir).string() + " --device cuda\n");
    // A run that exists and has not finished is resumed; a finished one is left alone.
    writeJsonAtomically(s / index.cells[1].runDir / "run.json", json{{"status", "cancelled"}});
    QCOMPARE(task(1).second, "resume " + (s / index.cells[1].runDir).string() + "\n");
    writeJsonAtomically(s / index.cells[1].runDir / "run.json", json{{"status", "finished"}});
    const auto finished = task(1);
    QCOMPARE(finished.first, 0);
    QCOMPARE(finished.second, std::string("(not run)\n"));
    // Outside an array job it refuses to run.
    std::string out;
    QCOMPARE(test::runCommand("bash " + script.string(), &out), 2);
    // Several GPUs per cell: each cell trains data-parallel, one process per GPU (run and resume).
    o.gpusPerTask = 4;
    const fs::path multi = SlurmScriptWriter::write(dir / "s", index, o);
    QVERIFY(readFile(multi).find("#SBATCH --gpus-per-task=4\n") != std::string::npos);
    QCOMPARE(task(0).second, "run " + (s / index.cells[0].configFile).string() + " --out " +
                                 (s / index.cells[0].runDir).string() + " --device cuda --nproc 4\n");
    QCOMPARE(task(1).second, std::string("(not run)\n")); // still finished
    writeJsonAtomically(s / index.cells[1].runDir / "run.json", json{{"status", "failed"}});
    QCOMPARE(task(1).second, "resume " + (s / index.cells[1].runDir).string() + " --nproc 4\n");
}

void TestSweepGrid::slurmBadOptions_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("time") << "time"
                          << "two hours"
                          << "not a Slurm time";
    QTest::newRow("time form") << "time"
                               << "1:2:3:4"
                               << "not a Slurm time";
    QTest::newRow("partition") << "partition"
                               << "gpu a100"
                               << "--partition \"gpu a100\"";
    QTest::newRow("extra line") << "extra"
                                << "--qos=a\n--x"
                                << "without line breaks";
}

void TestSweepGrid::slurmBadOptions()
{
    QFETCH(QString, field);
    QFETCH(QString, value);
    QFETCH(QString, message);
    test::TempDir dir;
    const SweepIndex index = expandTo(dir / "s", {"attack.options.rate=0.5"});
    SlurmOptions o;
    (field == "time" ? o.time : field == "partition" ? o.partition : o.jobName) = value.toStdString();
    if (field == "extra") {
        o.jobName.clear();
        o.extra = {value.toStdString()};
    }
    const std::string error = errorOf([&] { SlurmScriptWriter::write(dir / "s", index, o); });
    QVERIFY2(error.find(message.toStdString()) != std::string::npos, error.c_str());
    QVERIFY(!fs::exists(dir / "s" / SlurmScriptWriter::kFileName));
}

POISONLAB_TEST_MAIN(TestSweepGrid)
#include "tst_sweepgrid.moc"
