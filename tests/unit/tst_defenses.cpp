// The defenses end to end on a tiny CSV dataset and a tiny CLIP: the pre-training filter's files
// (counts that agree with the scores and flags written beside them, training on the kept pairs
// only, resume after a cancel), the post-training defense on a finished run (`defend`), and
// bad input stopped before any work.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Npy.h"
#include "poisonlab/core/clip/BpeTrainer.h"
#include "poisonlab/core/clip/ClipBpeTokenizer.h"
#include "poisonlab/core/experiment/DefenseStage.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <nlohmann/json.hpp>

#include <opencv2/imgcodecs.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

Q_DECLARE_METATYPE(json)

namespace {

void writeToyData(const fs::path &root)
{
    test::writeToyExperimentData(root);
}

/// The toy experiment (evaluated at the end only) with `defenses`.
json toyJson(const fs::path &root, bool attack, const json &defenses)
{
    json j = test::toyExperimentJson(root, attack);
    j["evaluation"]["every_epoch"] = false;
    j["defenses"] = defenses;
    return j;
}

long long stepCount(const RunDirectory &run)
{
    long long n = 0;
    for (const auto &r : run.metrics())
        n += r.value("type", "") == "step";
    return n;
}

json filterSpec(const json &threshold)
{
    return {{"plugin", "defense-distance-filter"}, {"options", {{"threshold", threshold}}}};
}

json finetuneSpec(const json &options)
{
    return {{"plugin", "defense-clean-finetune"}, {"options", options}};
}

} // namespace

class TestDefenses : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void filterRecordsWhatItRemoved();
    void filterSurvivesCancelAndResume();
    void badInputStopsBeforeWork_data();
    void badInputStopsBeforeWork();
    void defendPoisonedRun();
    void defendRefusesRunsWithoutPoisonedModel();
    void defensePresetsAreValid_data();
    void defensePresetsAreValid();

private:
    /// A finished toy run poisoned by Attack II, made once.
    fs::path poisonedRun();
    std::unique_ptr<test::TempDir> m_dir;
};

fs::path TestDefenses::poisonedRun()
{
    const fs::path dir = *m_dir / "poisoned";
    if (!fs::exists(dir)) {
        NullProgress progress;
        RunOptions options;
        options.outDir = dir;
        options.evaluateInitial = false;
        ExperimentRunner::run(ExperimentConfig::fromJson(toyJson(*m_dir / "toy", true, json::array())), options,
                              progress);
    }
    return dir;
}

void TestDefenses::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    writeToyData(*m_dir / "toy");
}

void TestDefenses::filterRecordsWhatItRemoved()
{
    const fs::path root = *m_dir / "toy";
    const ExperimentConfig cfg =
        ExperimentConfig::fromJson(toyJson(root, true, json::array({filterSpec({{"percentile", 60}})})));
    NullProgress progress;
    RunOptions options;
    options.outDir = *m_dir / "filtered";
    options.evaluateInitial = false;
    ExperimentRunner::run(cfg, options, progress);
    const RunDirectory run = RunDirectory::open(options.outDir);
    const fs::path dir = run.resultsDir() / "defense";
    const json report = readJsonFile(dir / "prefilter.json");
    const json index = readJsonFile(dir / "prefilter_index.json");
    const NpyArray scores = readNpy(dir / "prefilter_scores.npy");

    // 32 training pairs, the 8 sheep captions poisoned.
    QCOMPARE(scores.shape, std::vector<std::int64_t>{32});
    QCOMPARE(index["rows"].size(), size_t(32));
    QCOMPARE(report["counts"]["pairs"].get<int>(), 32);
    QCOMPARE(report["counts"]["poisoned"].get<int>(), 8);
    QCOMPARE(report["threshold"]["kind"].get<std::string>(), std::string("percentile"));
    QCOMPARE(report["threshold"]["oracle"].get<bool>(), false);
    // The counts are those of the scores and flags written beside them.
    const double threshold = report["threshold"]["distance"].get<double>();
    int removed = 0, removedPoisoned = 0;
    for (size_t r = 0; r < 32; ++r) {
        const json &row = index["rows"][r];
        QCOMPARE(row["removed"].get<bool>(), double(scores.data[r]) >= threshold);
        QCOMPARE(row["distance"].get<float>(), scores.data[r]);
        removed += row["removed"].get<bool>();
        removedPoisoned += row["removed"].get<bool>() && row["poisoned"].get<bool>();
        if (row["poisoned"].get<bool>())
            QCOMPARE(row["class"].get<std::string>(), std::string("sheep"));
    }
    QVERIFY(removed > 0 && removed < 32);
    QCOMPARE(report["counts"]["removed"].get<int>(), removed);
    QCOMPARE(report["counts"]["removed_poisoned"].get<int>(), removedPoisoned);
    QCOMPARE(report["counts"]["kept"].get<int>(), 32 - removed);
    if (removed > 0)
        QCOMPARE(report["precision"].get<double>(), double(removedPoisoned) / removed);
    QCOMPARE(report["recall"].get<double>(), removedPoisoned / 8.0);
    QCOMPARE(report["roc"].back()["fpr"].get<double>(), 1.0);
    QCOMPARE(report["density"]["groups"]["poisoned"]["count"].get<int>(), 8);
    // Training saw the kept pairs only: ceil(kept / 8) steps per epoch, 2 epochs.
    QCOMPARE(stepCount(run), 2 * ((32 - removed + 7) / 8));
    QVERIFY(readFile(run.logPath()).find("defense-distance-filter: removed " + std::to_string(removed)) !=
            std::string::npos);
}

void TestDefenses::filterSurvivesCancelAndResume()
{
    const fs::path root = *m_dir / "toy";
    const ExperimentConfig cfg = ExperimentConfig::fromJson(
        toyJson(root, true,
                json::array({filterSpec({{"percentile", 60}}),
                             finetuneSpec({{"dataset", "toy"}, {"epochs", 1}, {"learning_rates", {1e-4}}})})));
    NullProgress quiet;
    RunOptions options;
    options.evaluateInitial = false;
    options.outDir = *m_dir / "whole";
    ExperimentRunner::run(cfg, options, quiet);

    CallbackProgress *self = nullptr;
    CallbackProgress cancelling([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= 2)
            self->cancel();
    });
    self = &cancelling;
    options.outDir = *m_dir / "cut";
    QVERIFY_THROWS_EXCEPTION(CancelledError, ExperimentRunner::run(cfg, options, cancelling));
    const RunDirectory cut = RunDirectory::open(options.outDir);
    QCOMPARE(cut.manifest().status, std::string("cancelled"));
    QVERIFY(!fs::exists(cut.resultsDir() / "defense" / "posttrain.json"));
    ExperimentRunner::resume(options.outDir, quiet);
    QCOMPARE(cut.manifest().status, std::string("finished"));
    const RunDirectory whole = RunDirectory::open(*m_dir / "whole");
    QCOMPARE(readJsonFile(cut.resultsDir() / "defense" / "prefilter.json"),
             readJsonFile(whole.resultsDir() / "defense" / "prefilter.json"));
    QCOMPARE(stepCount(cut), stepCount(whole));
    QCOMPARE(cut.result("final")["evaluation"], whole.result("final")["evaluation"]);
    QCOMPARE(readJsonFile(cut.resultsDir() / "defense" / "posttrain.json"),
             readJsonFile(whole.resultsDir() / "defense" / "posttrain.json"));
}

void TestDefenses::badInputStopsBeforeWork_data()
{
    QTest::addColumn<bool>("attack");
    QTest::addColumn<json>("defenses");
    QTest::addColumn<QString>("message");
    QTest::newRow("distance above 2") << true << json::array({filterSpec({{"distance", 2.5}})}) << "[0, 2]";
    QTest::newRow("distance below 0") << true << json::array({filterSpec(-0.1)}) << "[0, 2]";
    QTest::newRow("percentile above 100") << true << json::array({filterSpec({{"percentile", 120}})}) << "[0, 100]";
    QTest::newRow("two threshold rules") << true << json::array({filterSpec({{"distance", 0.8}, {"percentile", 5}})})
                                         << "must be {\"distance\"";
    QTest::newRow("best-F1 without poison")
        << false << json::array({filterSpec({{"best_f1", true}})}) << "needs poisoned pairs";
    QTest::newRow("empty filtered set") << true << json::array({filterSpec({{"distance", 0.0}})})
                                        << "removed all 32 training pairs";
    QTest::newRow("no learning rate") << true
                                      << json::array(
                                             {finetuneSpec({{"dataset", "toy"}, {"learning_rates", json::array()}})})
                                      << "non-empty list";
    QTest::newRow("zero learning rate") << true
                                        << json::array(
                                               {finetuneSpec({{"dataset", "toy"}, {"learning_rates", {1e-4, 0}}})})
                                        << "positive numbers";
    QTest::newRow("negative learning rate")
        << true << json::array({finetuneSpec({{"dataset", "toy"}, {"learning_rates", {-1e-3}}})}) << "positive numbers";
    QTest::newRow("unknown dataset") << true << json::array({finetuneSpec({{"dataset", "coco"}})}) << "does not define";
    QTest::newRow("fine-tuning without poison")
        << false << json::array({finetuneSpec({{"dataset", "toy"}})}) << "needs a poisoned model";
    QTest::newRow("two filters") << true
                                 << json::array({filterSpec({{"distance", 0.8}}), filterSpec({{"distance", 0.9}})})
                                 << "one of each stage";
}

void TestDefenses::badInputStopsBeforeWork()
{
    QFETCH(bool, attack);
    QFETCH(json, defenses);
    QFETCH(QString, message);
    const ExperimentConfig cfg = ExperimentConfig::fromJson(toyJson(*m_dir / "toy", attack, defenses));
    NullProgress progress;
    RunOptions options;
    options.outDir = *m_dir / "bad";
    try {
        ExperimentRunner::run(cfg, options, progress);
        QFAIL("the run started");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains(message), e.what());
    }
    QVERIFY(!fs::exists(options.outDir)); // stopped before the run directory was made
}

void TestDefenses::defendPoisonedRun()
{
    NullProgress progress;
    const RunDirectory run = RunDirectory::open(poisonedRun());

    const json spec = finetuneSpec({{"dataset", "toy"}, {"epochs", 2}, {"learning_rates", {1e-3, 1e-4}}});
    const json result = defendRun(run.path(), spec, {}, {}, {}, progress);
    const json written = readJsonFile(run.resultsDir() / "defense" / "posttrain.json");
    QCOMPARE(written, result);
    QCOMPARE(result["dataset"].get<std::string>(), std::string("toy"));
    QCOMPARE(result["runs"].size(), size_t(2));
    const json final = run.result("final")["evaluation"];
    for (const auto &r : result["runs"]) {
        QCOMPARE(r["evaluations"].size(), size_t(3));
        for (int e = 0; e < 3; ++e)
            QCOMPARE(r["evaluations"][e]["epoch"].get<int>(), e);
        // Epoch 0 is the poisoned model itself: the run's final evaluation.
        QCOMPARE(r["evaluations"][0]["utility"], final["utility"]);
        QCOMPARE(r["evaluations"][0]["attacks"], final["attacks"]);
    }
    // Each learning rate trained its own copy.
    QVERIFY(result["runs"][0]["evaluations"][1]["utility"] != result["runs"][1]["evaluations"][1]["utility"]);

    // Into another folder, from a file, through the CLI.
    test::writeText(
        *m_dir / "defense.json",
        json{{"defenses", json::array({finetuneSpec({{"dataset", "toy"}, {"epochs", 1}, {"learning_rates", {1e-4}}})})}}
            .dump());
    std::string output;
    const int rc =
        test::runCommand(test::binary("poisonlab-cli").string() + " defend " + run.path().string() + " --config " +
                             (*m_dir / "defense.json").string() + " --out " + (*m_dir / "elsewhere").string(),
                         &output);
    QVERIFY2(rc == 0, output.c_str());
    QCOMPARE(readJsonFile(*m_dir / "elsewhere" / "posttrain.json")["runs"].size(), size_t(1));
}

void TestDefenses::defendRefusesRunsWithoutPoisonedModel()
{
    NullProgress progress;
    RunOptions options;
    options.outDir = *m_dir / "clean";
    options.evaluateInitial = false;
    ExperimentRunner::run(ExperimentConfig::fromJson(toyJson(*m_dir / "toy", false, json::array())), options, progress);
    const json spec = finetuneSpec({{"dataset", "toy"}, {"learning_rates", {1e-4}}});
    try {
        defendRun(options.outDir, spec, {}, {}, {}, progress);
        QFAIL("defended a run without poison");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("poison/manifest.json"), e.what());
    }
    QVERIFY(!fs::exists(options.outDir / "results" / "defense"));
    test::writeText(*m_dir / "d.json", spec.dump());
    std::string output;
    const int rc = test::runCommand(test::binary("poisonlab-cli").string() + " defend " + options.outDir.string() +
                                        " --config " + (*m_dir / "d.json").string(),
                                    &output);
    QCOMPARE(rc, 2);
    QVERIFY2(output.find("not a poisoned run") != std::string::npos, output.c_str());

    // A poisoned run whose model is gone (never finished training).
    const fs::path copy = *m_dir / "unfinished";
    fs::copy(poisonedRun(), copy, fs::copy_options::recursive);
    fs::remove(copy / "model" / "final.safetensors");
    QVERIFY_THROWS_EXCEPTION(Error, defendRun(copy, spec, {}, {}, {}, progress));
    // A pre-training defense cannot act on a finished run.
    try {
        defendRun(poisonedRun(), filterSpec({{"distance", 0.8}}), {}, {}, {}, progress);
        QFAIL("ran a filter on a finished run");
    } catch (const Error &e) {
        QVERIFY2(QString(e.what()).contains("needs a new run"), e.what());
    }
}

void TestDefenses::defensePresetsAreValid_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("attack");
    QTest::newRow("filter") << "demo-defense-filter"
                            << "attack-single-target-label";
    QTest::newRow("fine-tuning") << "demo-defense-finetune"
                                 << "attack-single-target-label";
    QTest::newRow("adaptive") << "demo-adaptive"
                              << "attack-similarity-aware";
}

void TestDefenses::defensePresetsAreValid()
{
    QFETCH(QString, preset);
    QFETCH(QString, attack);
    const fs::path file = fs::path(POISONLAB_SOURCE_DIR) / "resources" / "presets" / (preset.toStdString() + ".json");
    const ExperimentConfig cfg = ExperimentConfig::load(file, {{"data", "/demo-data"}, {"model", "/m.safetensors"}});
    QCOMPARE(QString::fromStdString(cfg.attack->plugin), attack);
    QCOMPARE(cfg.defenses.size(), size_t(1));
    DefenseStage stage(cfg); // the plugins accept the preset's options
    QVERIFY(stage.hasPreTraining() != stage.hasPostTraining());
}

POISONLAB_TEST_MAIN(TestDefenses)
#include "tst_defenses.moc"
