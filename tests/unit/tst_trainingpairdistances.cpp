// Core's training-pair distances and embedding shift between runs, on toy runs made here: the
// distances are the pre-training filter's scores, the cache is read back only for the same
// model, a malformed cache is refused naming the file, and the shift is written only where no
// other analysis' file stands.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"
#include "poisonlab/core/experiment/RunEmbeddingShift.h"
#include "poisonlab/core/experiment/TrainingPairDistances.h"

#include <QTest>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

class TestTrainingPairDistances : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void distancesAreTheFiltersScores();
    void cacheIsReadOnlyForTheSameModel();
    void malformedCacheNamesTheFile();
    void shiftIsWrittenOnlyWhereNoOtherFileStands();

private:
    test::TempDir m_dir;
    fs::path m_poisoned, m_clean;
};

void TestTrainingPairDistances::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
    NullProgress progress;
    RunOptions options;
    options.evaluateInitial = false;
    json poisoned = test::toyExperimentJson(m_dir / "toy", true, "poisoned");
    poisoned["training"]["epochs"] = 1;
    poisoned["evaluation"]["every_epoch"] = false;
    poisoned["defenses"] = {
        {{"plugin", "defense-distance-filter"}, {"options", {{"threshold", {{"percentile", 50}}}}}}};
    options.outDir = m_poisoned = m_dir / "poisoned";
    ExperimentRunner::run(ExperimentConfig::fromJson(poisoned), options, progress);
    json clean = test::toyExperimentJson(m_dir / "toy", false, "clean");
    clean["training"]["epochs"] = 1;
    clean["evaluation"]["every_epoch"] = false;
    options.outDir = m_clean = m_dir / "clean";
    ExperimentRunner::run(ExperimentConfig::fromJson(clean), options, progress);
}

void TestTrainingPairDistances::distancesAreTheFiltersScores()
{
    NullProgress progress;
    PairDistanceOptions o;
    o.runDir = m_poisoned;
    o.model = "initial";
    const TrainingPairDistances d = computeTrainingPairDistances(o, progress);
    const json index = readJsonFile(m_poisoned / "results" / "defense" / "prefilter_index.json");
    QCOMPARE(d.distances.size(), index["rows"].size());
    for (std::size_t r = 0; r < d.distances.size(); ++r) {
        QCOMPARE(d.captions[r], index["rows"][r]["caption"].get<int>());
        QCOMPARE(d.distances[r], index["rows"][r]["distance"].get<float>());
        QCOMPARE(bool(d.poisoned[r]), index["rows"][r]["poisoned"].get<bool>());
    }
    QCOMPARE(d.density["groups"]["poisoned"]["count"].get<int>(), 8);
    QCOMPARE(d.density["groups"]["clean"]["count"].get<int>(), 24);
    // The JSON round trip keeps every pair.
    const TrainingPairDistances back = TrainingPairDistances::fromJson(d.toJson(), "x.json");
    QCOMPARE(back.distances, d.distances);
    QCOMPARE(back.poisoned, d.poisoned);
    QCOMPARE(back.model, std::string("initial"));
}

void TestTrainingPairDistances::cacheIsReadOnlyForTheSameModel()
{
    NullProgress progress;
    PairDistanceOptions o;
    o.runDir = m_poisoned;
    o.model = "initial";
    o.label = "initial";
    const fs::path file = trainingPairDistancesFile(m_poisoned, "initial");
    QCOMPARE(file.filename().string(), std::string("distance_density_initial.json"));
    QCOMPARE(trainingPairDistancesFile(m_poisoned, "final").filename().string(), std::string("distance_density.json"));
    const TrainingPairDistances first = loadOrComputeTrainingPairDistances(o, progress);
    QVERIFY(fs::is_regular_file(file));
    // A marked cache comes back as it is: it was read, not recomputed.
    json cached = readJsonFile(file);
    cached["pair_distances"]["distance"][0] = 1.5;
    writeJsonAtomically(file, cached);
    QCOMPARE(loadOrComputeTrainingPairDistances(o, progress).distances[0], 1.5f);
    // Another model under the same label is recomputed and replaces it.
    o.model = (m_poisoned / "model" / "final.safetensors").string();
    const TrainingPairDistances other = loadOrComputeTrainingPairDistances(o, progress);
    QVERIFY(other.distances != first.distances);
    QCOMPARE(readJsonFile(file)["model"].get<std::string>(), o.model);
}

void TestTrainingPairDistances::malformedCacheNamesTheFile()
{
    json j = {{"model", "initial"},
              {"pair_distances", {{"caption", {1, 2}}, {"distance", {0.5}}, {"poisoned", {true, false}}}}};
    try {
        TrainingPairDistances::fromJson(j, "cache.json");
        QFAIL("lists of different lengths were accepted");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("cache.json") != std::string::npos, e.what());
    }
    QVERIFY_THROWS_EXCEPTION(Error, TrainingPairDistances::fromJson(json{{"model", "initial"}}, "cache.json"));
}

void TestTrainingPairDistances::shiftIsWrittenOnlyWhereNoOtherFileStands()
{
    NullProgress progress;
    const fs::path file = m_poisoned / "results" / "analysis" / "embedding_shift.json";
    fs::remove(file);
    const json shift = loadOrComputeEmbeddingShift(m_poisoned, m_clean, "final", progress);
    QCOMPARE(shift["reference"].get<std::string>(), std::string("clean/final"));
    QCOMPARE(shift["images"]["count"].get<int>(), 8);
    QCOMPARE(readJsonFile(file), shift);
    // A file against another reference (analyze's "initial") stays as it is.
    json other = shift;
    other["reference"] = "initial";
    writeJsonAtomically(file, other);
    QCOMPARE(loadOrComputeEmbeddingShift(m_poisoned, m_clean, "final", progress)["reference"].get<std::string>(),
             std::string("clean/final"));
    QCOMPARE(readJsonFile(file)["reference"].get<std::string>(), std::string("initial"));
}

POISONLAB_TEST_MAIN(TestTrainingPairDistances)
#include "tst_trainingpairdistances.moc"
