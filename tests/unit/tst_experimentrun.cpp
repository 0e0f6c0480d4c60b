// The experiment runner end to end on a tiny CSV dataset and a tiny CLIP (text width 32, one
// layer, resolution 32): the run directory's files, same numbers for the same seed, cancellation that
// leaves a resumable run, a resume whose losses equal an uninterrupted run's, and utility measured
// on a gallery of its own.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/BpeTrainer.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <nlohmann/json.hpp>

#include <opencv2/imgcodecs.hpp>

#include <regex>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

void writeToyData(const fs::path &root)
{
    test::writeToyExperimentData(root);
}

/// The toy experiment evaluated only at the end (no per-epoch evaluation).
ExperimentConfig toyConfig(const fs::path &root, bool attack)
{
    json j = test::toyExperimentJson(root, attack);
    j["evaluation"]["every_epoch"] = false;
    return ExperimentConfig::fromJson(j);
}

std::vector<std::pair<long long, double>> stepLosses(const RunDirectory &run)
{
    std::vector<std::pair<long long, double>> out;
    for (const auto &r : run.metrics())
        if (r.value("type", "") == "step")
            out.emplace_back(r["step"].get<long long>(), r["loss"].get<double>());
    return out;
}

/// Runs `cfg` to the end into `out` and returns its step losses.
std::vector<std::pair<long long, double>> runWhole(const ExperimentConfig &cfg, const fs::path &out)
{
    NullProgress quiet;
    RunOptions options;
    options.outDir = out;
    options.evaluateInitial = false;
    ExperimentRunner::run(cfg, options, quiet);
    return stepLosses(RunDirectory::open(out));
}

/// Runs `cfg` into `out` and cancels it (as Ctrl-C does) once `steps` training steps are done.
void runCancelledAfter(const ExperimentConfig &cfg, const fs::path &out, long long steps)
{
    CallbackProgress *self = nullptr;
    CallbackProgress cancelling([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= steps)
            self->cancel();
    });
    self = &cancelling;
    RunOptions options;
    options.outDir = out;
    options.evaluateInitial = false;
    QVERIFY_THROWS_EXCEPTION(CancelledError, ExperimentRunner::run(cfg, options, cancelling));
}

} // namespace

class TestExperimentRun : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runWritesTheRunDirectory();
    void cancelThenResumeMatchesUninterrupted();
    void utilityOnAGalleryOfItsOwn();
    void vanishedImagesStopTheRunByNameAndItResumes();
    void changedAnnotationsRefuseResumeByName_data();
    void changedAnnotationsRefuseResumeByName();
};

void TestExperimentRun::runWritesTheRunDirectory()
{
    test::TempDir dir;
    writeToyData(dir / "toy");
    const ExperimentConfig cfg = toyConfig(dir / "toy", true);
    NullProgress progress;
    RunOptions options;
    options.outDir = dir / "run1";
    const RunOutcome a = ExperimentRunner::run(cfg, options, progress);
    const RunDirectory run = RunDirectory::open(dir / "run1");
    QCOMPARE(run.manifest().status, std::string("finished"));
    QCOMPARE(run.manifest().datasets.size(), size_t(1));
    QVERIFY(fs::is_regular_file(run.configPath()));
    QVERIFY(fs::is_regular_file(run.poisonDir() / "manifest.json"));
    QCOMPARE(readJsonFile(run.poisonDir() / "poisoned.json").size(), size_t(8)); // all sheep training captions
    QVERIFY(fs::is_regular_file(run.resultsDir() / "final.json"));
    QVERIFY(fs::is_regular_file(run.path() / "model/final.safetensors"));
    QCOMPARE(stepLosses(run).size(), size_t(8)); // 32 pairs / 8 per batch x 2 epochs
    const json final = run.result("final");
    QVERIFY(final["evaluation"]["attacks"][0]["attack"].contains("hit@10"));
    QCOMPARE(final["poison"]["poisoned_pairs"].get<int>(), 8);
    // The resolved config runs again as it is, and gives the same numbers.
    const ExperimentConfig again = ExperimentConfig::fromJson(run.config(), run.configPath());
    options.outDir = dir / "run2";
    const RunOutcome b = ExperimentRunner::run(again, options, progress);
    QCOMPARE(b.final["evaluation"].dump(), a.final["evaluation"].dump());
    QCOMPARE(stepLosses(RunDirectory::open(dir / "run2")), stepLosses(run));
    // An existing run is not overwritten without force, and a finished run has nothing to resume.
    options.outDir = dir / "run1";
    QVERIFY_THROWS_EXCEPTION(Error, ExperimentRunner::run(cfg, options, progress));
    QCOMPARE(run.manifest().status, std::string("finished"));
    QVERIFY_THROWS_EXCEPTION(Error, ExperimentRunner::resume(dir / "run1", progress));
    QVERIFY_THROWS_EXCEPTION(Error, ExperimentRunner::resume(dir / "toy", progress));
}

void TestExperimentRun::cancelThenResumeMatchesUninterrupted()
{
    test::TempDir dir;
    writeToyData(dir / "toy");
    const ExperimentConfig cfg = toyConfig(dir / "toy", true);
    NullProgress quiet;
    const auto expected = runWhole(cfg, dir / "whole");

    // Cancel (as Ctrl-C does) after the 5th step: the run stops and says so.
    runCancelledAfter(cfg, dir / "cut", 5);
    const RunDirectory cut = RunDirectory::open(dir / "cut");
    QCOMPARE(cut.manifest().status, std::string("cancelled"));
    QVERIFY(stepLosses(cut).size() < expected.size());

    // Continuing in another precision is refused unless asked for by name; nothing changes.
    ResumeOptions bf16;
    bf16.precision = "bf16";
    try {
        ExperimentRunner::resume(dir / "cut", quiet, bf16);
        QFAIL("a resume in another precision must need --allow-precision-change");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("--allow-precision-change") != std::string::npos, e.what());
    }
    QCOMPARE(cut.config()["training"].value("precision", std::string("fp32")), std::string("fp32"));
    QCOMPARE(cut.manifest().status, std::string("cancelled"));

    ExperimentRunner::resume(dir / "cut", quiet);
    QCOMPARE(cut.manifest().status, std::string("finished"));
    QCOMPARE(stepLosses(cut), expected); // same steps, same losses, no duplicates
}

// evaluation.utility: Hit@K stay on the evaluation gallery, R@K come from the other one, exactly
// as a run evaluating on that gallery measures them (training is the same: same seed, same data).
void TestExperimentRun::utilityOnAGalleryOfItsOwn()
{
    test::TempDir dir;
    writeToyData(dir / "toy");
    json j = test::toyExperimentJson(dir / "toy", true);
    j["evaluation"]["every_epoch"] = false;
    j["datasets"]["clean"] = {{"format", "csv"}, {"root", (dir / "toy").string()}}; // read on its own
    j["train"] = {{"datasets", {"toy"}}};
    j["evaluation"]["utility"] = {{"dataset", "clean"}, {"split", "train"}};
    NullProgress progress;
    RunOptions options;
    options.outDir = dir / "a";
    const json a = ExperimentRunner::run(ExperimentConfig::fromJson(j), options, progress).final["evaluation"];
    QCOMPARE(a["captions"].get<int>(), 16); // the attack's gallery: the test split
    QCOMPARE(a["utility_gallery"].dump(),
             json({{"captions", 32}, {"dataset", "clean"}, {"gallery_images", 16}, {"split", "train"}}).dump());
    QCOMPARE(a["utility"]["text_retrieval"]["queries"].get<int>(), 16);
    // The evaluation record holds the gallery's embeddings, so its metrics stay that gallery's own.
    const json record = readJsonFile(dir / "a" / "results" / "embeddings" / "final" / "metrics.json");
    QVERIFY(!record.contains("utility_gallery"));
    QCOMPARE(record["utility"]["text_retrieval"]["queries"].get<int>(), 8);
    QCOMPARE(record["attacks"].dump(), a["attacks"].dump());

    json k = j;
    k["evaluation"].erase("utility");
    k["evaluation"]["dataset"] = "clean";
    k["evaluation"]["split"] = "train";
    options.outDir = dir / "b";
    const json b = ExperimentRunner::run(ExperimentConfig::fromJson(k), options, progress).final["evaluation"];
    QVERIFY(!b.contains("utility_gallery"));
    QCOMPARE(a["utility"].dump(), b["utility"].dump());
    QVERIFY(a["attacks"].dump() != b["attacks"].dump()); // other queries, other gallery

    j["evaluation"]["utility"]["split"] = "all"; // named as the config names it
    options.outDir = dir / "c";
    const json c = ExperimentRunner::run(ExperimentConfig::fromJson(j), options, progress).final["evaluation"];
    QCOMPARE(c["utility_gallery"]["split"].get<std::string>(), std::string("all"));
    QCOMPARE(c["utility_gallery"]["gallery_images"].get<int>(), 24);

    // Naming the evaluation gallery itself is no second gallery: nothing is embedded twice.
    j["evaluation"]["utility"] = {{"dataset", "toy"}, {"split", "test"}};
    options.outDir = dir / "d";
    const json d = ExperimentRunner::run(ExperimentConfig::fromJson(j), options, progress).final["evaluation"];
    QVERIFY(!d.contains("utility_gallery"));
    QCOMPARE(d["utility"].dump(), record["utility"].dump());
}

// The dataset's image folder disappears mid-epoch (#18): the run stops with the missing file's
// name and status "failed", keeps its checkpoints, and once the folder is back `resume` finishes
// with the uninterrupted run's losses.
void TestExperimentRun::vanishedImagesStopTheRunByNameAndItResumes()
{
    test::TempDir dir;
    writeToyData(dir / "toy");
    json j = test::toyExperimentJson(dir / "toy", true);
    j["evaluation"]["every_epoch"] = false;
    j["training"]["checkpointEverySteps"] = 1;
    j["training"]["prefetchBatches"] = 1;
    const ExperimentConfig cfg = ExperimentConfig::fromJson(j);
    NullProgress quiet;
    RunOptions options;
    options.outDir = dir / "whole";
    options.evaluateInitial = false;
    ExperimentRunner::run(cfg, options, quiet);
    const auto expected = stepLosses(RunDirectory::open(dir / "whole"));

    // The decoded-image cache on disk checks each image's file (size, mtime) before it serves a
    // copy, so a vanished file is noticed there too.
    bool moved = false;
    CallbackProgress vanishing([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= 1 && !moved) {
            fs::rename(dir / "toy" / "img", dir / "toy" / "img-away");
            moved = true;
        }
    });
    options.outDir = dir / "cut";
    try {
        ExperimentRunner::run(cfg, options, vanishing);
        QFAIL("the run went on without its images");
    } catch (const Error &e) {
        const std::string what = e.what();
        QVERIFY2(what.find((dir / "toy" / "img").string()) != std::string::npos &&
                     what.find("not found") != std::string::npos,
                 e.what());
    }
    const RunDirectory cut = RunDirectory::open(dir / "cut");
    QCOMPARE(cut.manifest().status, std::string("failed"));
    QVERIFY(QString::fromStdString(cut.manifest().error).contains("img"));
    QVERIFY(!stepLosses(cut).empty() && stepLosses(cut).size() < expected.size());

    fs::rename(dir / "toy" / "img-away", dir / "toy" / "img");
    ExperimentRunner::resume(dir / "cut", quiet);
    QCOMPARE(cut.manifest().status, std::string("finished"));
    QCOMPARE(stepLosses(cut), expected);
}

void TestExperimentRun::changedAnnotationsRefuseResumeByName_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<QString>("expected");
    QTest::newRow("annotation file gone") << "remove"
                                          << "no CSV/TSV file";
    QTest::newRow("a caption edited") << "edit"
                                      << "dataset \"toy\" changed since the run";
    QTest::newRow("a pair added") << "append"
                                  << "dataset \"toy\" changed since the run";
}

// The annotations are read when a run starts and again when it resumes: a resume over other data
// would mix two datasets in one model, so it is refused by name, nothing in the run folder
// changes, and once the file is as it was the run finishes with the uninterrupted run's losses.
void TestExperimentRun::changedAnnotationsRefuseResumeByName()
{
    QFETCH(QString, change);
    QFETCH(QString, expected);
    test::TempDir dir;
    writeToyData(dir / "toy");
    const ExperimentConfig cfg = toyConfig(dir / "toy", true);
    NullProgress quiet;
    const auto uninterrupted = runWhole(cfg, dir / "whole");
    runCancelledAfter(cfg, dir / "cut", 3);
    const RunDirectory cut = RunDirectory::open(dir / "cut");
    const auto lossesBefore = stepLosses(cut);

    const fs::path csv = dir / "toy" / "captions.csv";
    const std::string original = readFile(csv);
    if (change == "remove")
        fs::remove(csv);
    else if (change == "edit")
        test::writeText(csv, std::regex_replace(original, std::regex("a sheep standing"), "a sheep lying down"));
    else
        test::writeText(csv, original + "img/cat0.png,one more cat,cat,train\n");
    try {
        ExperimentRunner::resume(dir / "cut", quiet);
        QFAIL("resumed over changed annotations");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find(expected.toStdString()) != std::string::npos, e.what());
    }
    QCOMPARE(cut.manifest().status, std::string("cancelled"));
    QCOMPARE(stepLosses(cut), lossesBefore);

    test::writeText(csv, original);
    ExperimentRunner::resume(dir / "cut", quiet);
    QCOMPARE(cut.manifest().status, std::string("finished"));
    QCOMPARE(stepLosses(cut), uninterrupted);
}

POISONLAB_TEST_MAIN(TestExperimentRun)
#include "tst_experimentrun.moc"
