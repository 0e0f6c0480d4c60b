// eval::EvaluationResult, the one reader and writer of evaluation documents: the documents a run
// writes (tests/data/eval, taken from a run's metrics.jsonl, posttrain.json and an evaluation
// record) come back byte for byte, a malformed one is an error naming the key, and the typed
// readers (RunResults, the report's tables) see the numbers the files hold.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/EvaluationResult.h"
#include "poisonlab/core/report/PaperTables.h"
#include "poisonlab/core/report/RunResults.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>

using namespace poisonlab;
using eval::EvaluationResult;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> goldenLines()
{
    std::ifstream in(test::testDataDir() / "eval" / "evaluation_documents.jsonl");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty())
            lines.push_back(line);
    return lines;
}

} // namespace

class TestEvaluationResult : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTripIsByteIdentical_data();
    void roundTripIsByteIdentical();
    void recordFileRoundTrips();
    void typedFiguresMatchTheDocument();
    void absentFiguresStayAbsent();
    void malformedNamesTheKey_data();
    void malformedNamesTheKey();
    void runResultsReadTheSameNumbers();
    void postTrainingRunsAreTyped();
    void runResultsNameAMalformedEvaluation();
};

void TestEvaluationResult::roundTripIsByteIdentical_data()
{
    QTest::addColumn<std::string>("line");
    const auto lines = goldenLines();
    QCOMPARE(lines.size(), std::size_t(3));
    // 0: a metrics.jsonl evaluation record (type/model/epoch, a utility gallery, Attack I and II goals);
    // 1: an epoch record's evaluation; 2: a posttrain.json epoch (utility and attacks only).
    const char *names[] = {"metrics.jsonl evaluation record", "epoch evaluation", "posttrain epoch"};
    for (std::size_t i = 0; i < lines.size(); ++i)
        QTest::newRow(names[i]) << lines[i];
}

void TestEvaluationResult::roundTripIsByteIdentical()
{
    QFETCH(std::string, line);
    const EvaluationResult r = EvaluationResult::fromJson(json::parse(line));
    QCOMPARE(r.toJson().dump(), line);
    // And once more through the struct.
    QCOMPARE(EvaluationResult::fromJson(r.toJson()).toJson().dump(), line);
}

void TestEvaluationResult::recordFileRoundTrips()
{
    const fs::path file = test::testDataDir() / "eval" / "evaluation_record_metrics.json";
    const std::string text = readFile(file);
    QCOMPARE(EvaluationResult::fromJson(readJsonFile(file)).toJson().dump(2) + "\n", text);
}

void TestEvaluationResult::typedFiguresMatchTheDocument()
{
    const json j = json::parse(goldenLines()[0]);
    const EvaluationResult r = EvaluationResult::fromJson(j);
    QCOMPARE(r.split, j["split"].get<std::string>());
    QCOMPARE(*r.galleryImages, j["gallery_images"].get<std::int64_t>());
    QCOMPARE(*r.captions, j["captions"].get<std::int64_t>());
    const json &u = j["utility"];
    QCOMPARE(r.utility.textRetrieval.r1, u["text_retrieval"]["r1"].get<double>());
    QCOMPARE(r.utility.textRetrieval.r10, u["text_retrieval"]["r10"].get<double>());
    QCOMPARE(r.utility.imageRetrieval.r5, u["image_retrieval"]["r5"].get<double>());
    QCOMPARE(r.utility.imageRetrieval.medianRank, u["image_retrieval"]["median_rank"].get<double>());
    QCOMPARE(*r.utility.imageRetrieval.queries, u["image_retrieval"]["queries"].get<std::int64_t>());
    QCOMPARE(r.utility.rMean, u["r_mean"].get<double>());
    QVERIFY(r.utilityGallery);
    QCOMPARE(r.utilityGallery->dataset, j["utility_gallery"]["dataset"].get<std::string>());
    QCOMPARE(*r.utilityGallery->galleryImages, j["utility_gallery"]["gallery_images"].get<std::int64_t>());
    QCOMPARE(r.attacks.size(), j["attacks"].size());
    for (std::size_t g = 0; g < r.attacks.size(); ++g) {
        const json &a = j["attacks"][g];
        QCOMPARE(r.attacks[g].name, a["name"].get<std::string>());
        QCOMPARE(r.attacks[g].sourceClass, a["source_class"].get<std::string>());
        for (int k : {1, 5, 10, 20, 50}) {
            QCOMPARE(r.attacks[g].attack.hitAt(k), a["attack"]["hit@" + std::to_string(k)].get<double>());
            QCOMPARE(r.attacks[g].baseline.hitAt(k), a["baseline"]["hit@" + std::to_string(k)].get<double>());
        }
        QCOMPARE(r.attacks[g].attack.minRankMean, a["attack"]["minrank_mean"].get<double>());
        QCOMPARE(*r.attacks[g].baseline.minRankMax, a["baseline"]["minrank_max"].get<std::int64_t>());
    }
    QVERIFY(!r.attacks[0].targetImage);
    QCOMPARE(*r.attacks[1].targetImage, j["attacks"][1]["target_image"].get<std::int64_t>()); // Attack I
    QVERIFY(std::isnan(r.attacks[0].attack.hitAt(3)));                                        // not measured
    QCOMPARE(r.attack("dog->aeroplane"), &r.attacks[1]);
    // The record's own keys are kept, not read as figures.
    QCOMPARE(r.extra.dump(), json({{"epoch", 2}, {"model", "final"}, {"type", "evaluation"}}).dump());
}

void TestEvaluationResult::absentFiguresStayAbsent()
{
    // A hand-trimmed document: what is not there is NaN or empty, and is not written back.
    const json j = {{"utility", {{"r_mean", 0.5}}}, {"attacks", {{{"name", "a->b"}, {"attack", {{"hit@10", 1}}}}}}};
    const EvaluationResult r = EvaluationResult::fromJson(j);
    QVERIFY(std::isnan(r.utility.textRetrieval.r1));
    QVERIFY(!r.utility.textRetrieval.queries);
    QVERIFY(!r.galleryImages);
    QVERIFY(r.split.empty());
    QCOMPARE(r.attacks[0].attack.hitAt(10), 1.0);
    QVERIFY(std::isnan(r.attacks[0].baseline.hitAt(10)));
    QCOMPARE(
        r.toJson().dump(),
        std::string(R"({"attacks":[{"attack":{"hit@10":1.0},"baseline":{},"name":"a->b"}],"utility":{"r_mean":0.5}})"));
    QCOMPARE(r.figuresOnly().toJson().dump(), r.toJson().dump());
}

void TestEvaluationResult::malformedNamesTheKey_data()
{
    QTest::addColumn<std::string>("document");
    QTest::addColumn<std::string>("message");
    const auto row = [](const char *name, const std::string &document, const std::string &message) {
        QTest::newRow(name) << document << message;
    };
    row("not an object", "[1, 2]", "an evaluation must be a JSON object with \"utility\" or \"attacks\"");
    row("no figures", R"({"split": "test"})", "an object without them");
    row("utility not an object", R"({"utility": 0.5, "attacks": []})",
        "evaluation \"utility\" must be a JSON object, got 0.5");
    row("attacks not a list", R"({"utility": {}, "attacks": {}})", "evaluation \"attacks\" must be a list of goals");
    row("goal not an object", R"({"attacks": [3]})", "evaluation \"attacks\"[0] must be a JSON object");
    row("hit not a number", R"({"attacks": [{"name": "x", "attack": {"hit@10": "high"}}]})",
        "evaluation \"attacks\"[0].\"attack\".\"hit@10\" must be a number, got \"high\"");
    row("count not an integer", R"({"utility": {"image_retrieval": {"queries": 2.5}}})",
        "evaluation \"utility\".\"image_retrieval\".\"queries\" must be an integer, got 2.5");
    row("unknown figure", R"({"utility": {"text_retrieval": {"r11": 0.2}}})",
        "evaluation \"utility\".\"text_retrieval\".\"r11\" is not a key");
    row("target classes", R"({"attacks": [{"target_classes": ["a", 2]}]})",
        "evaluation \"attacks\"[0].\"target_classes\" must be a list of strings");
    row("split not a string", R"({"split": 1, "attacks": []})", "evaluation \"split\" must be a string, got 1");
}

void TestEvaluationResult::malformedNamesTheKey()
{
    QFETCH(std::string, document);
    QFETCH(std::string, message);
    try {
        EvaluationResult::fromJson(json::parse(document));
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find(message) != std::string::npos, e.what());
    }
}

// The report's reader on the golden run directory: the numbers of its final.json, typed.
void TestEvaluationResult::runResultsReadTheSameNumbers()
{
    const fs::path dir = test::testDataDir() / "report" / "attack-run";
    const report::RunResults run = report::RunResults::load(dir);
    const json final = readJsonFile(dir / "results" / "final.json");
    const json &e = final["evaluation"];
    QCOMPARE(run.evaluation.utility.imageRetrieval.r10, e["utility"]["image_retrieval"]["r10"].get<double>());
    QCOMPARE(run.evaluation.attacks.size(), e["attacks"].size());
    QCOMPARE(run.evaluation.attacks[1].attack.hitAt(10), e["attacks"][1]["attack"]["hit@10"].get<double>());
    QCOMPARE(run.evaluation.attacks[0].baseline.minRankMean, e["attacks"][0]["baseline"]["minrank_mean"].get<double>());
    QVERIFY(run.initialEvaluation);
    QCOMPARE(run.initialEvaluation->utility.rMean, final["initial_evaluation"]["utility"]["r_mean"].get<double>());
    const auto epochs = run.evaluationsByEpoch();
    QVERIFY(epochs.size() >= 2);
    QCOMPARE(epochs.front().first, 0);
    // The attack table prints them.
    const report::ReportTable t = report::paper::attackTable(run);
    QCOMPARE(t.rows[1][4], report::formatFraction(e["attacks"][0]["attack"]["hit@10"].get<double>()));
}

void TestEvaluationResult::postTrainingRunsAreTyped()
{
    const json p =
        readJsonFile(test::testDataDir() / "report" / "attack-run" / "results" / "defense" / "posttrain.json");
    const auto runs = report::postTrainingRuns(p);
    QCOMPARE(runs.size(), p["runs"].size());
    QCOMPARE(runs[0].learningRate, p["runs"][0]["learning_rate"].get<double>());
    const json &last = p["runs"][0]["evaluations"].back();
    QCOMPARE(*runs[0].evaluations.back().epoch, last["epoch"].get<int>());
    QCOMPARE(runs[0].evaluations.back().evaluation.utility.rMean, last["utility"]["r_mean"].get<double>());
    QCOMPARE(runs[0].evaluations.back().evaluation.attacks[0].attack.hitAt(10),
             last["attacks"][0]["attack"]["hit@10"].get<double>());
    json bad = p;
    bad["runs"][1]["evaluations"][0]["attacks"] = "none";
    try {
        report::postTrainingRuns(bad);
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("\"runs\"[1].\"evaluations\"[0]: evaluation \"attacks\" must be a list") !=
                     std::string::npos,
                 e.what());
    }
}

// A malformed final.json evaluation stops the report with the file and the key; a malformed
// posttrain.json is listed and left out.
void TestEvaluationResult::runResultsNameAMalformedEvaluation()
{
    test::TempDir tmp;
    fs::copy(test::testDataDir() / "report" / "attack-run", tmp / "run", fs::copy_options::recursive);
    const fs::path finalPath = tmp / "run" / "results" / "final.json";
    const json good = readJsonFile(finalPath);
    json bad = good;
    bad["evaluation"]["attacks"][0]["baseline"]["minrank_mean"] = "low";
    writeJsonAtomically(finalPath, bad);
    try {
        report::RunResults::load(tmp / "run");
        QFAIL("loaded a malformed evaluation");
    } catch (const Error &e) {
        const std::string m = e.what();
        QVERIFY2(m.find("final.json") != std::string::npos, e.what());
        QVERIFY2(m.find("\"evaluation\": evaluation \"attacks\"[0].\"baseline\".\"minrank_mean\" must be a number") !=
                     std::string::npos,
                 e.what());
    }
    writeJsonAtomically(finalPath, good);
    const fs::path posttrain = tmp / "run" / "results" / "defense" / "posttrain.json";
    json p = readJsonFile(posttrain);
    p["runs"][0]["evaluations"][1]["utility"]["r_mean"] = "high";
    writeJsonAtomically(posttrain, p);
    const report::RunResults r = report::RunResults::load(tmp / "run");
    QVERIFY(!r.defense.count("posttrain"));
    QVERIFY(std::any_of(r.problems.begin(), r.problems.end(), [](const report::ReportProblem &problem) {
        return problem.text().find("posttrain.json: malformed: \"runs\"[0].\"evaluations\"[1]: evaluation "
                                   "\"utility\".\"r_mean\" must be a number") != std::string::npos;
    }));
}

POISONLAB_TEST_MAIN(TestEvaluationResult)
#include "tst_evaluationresult.moc"
