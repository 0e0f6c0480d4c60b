// The readers of a run folder's own files on input of the wrong shape (found while writing the
// fuzz targets fuzz_run_json, fuzz_metrics_jsonl, fuzz_poison_manifest and
// fuzz_evaluation_record; their inputs are in tests/fuzz/regressions/): each gives a
// poisonlab::Error naming the file and the key, or leaves the bad part out and says so — before,
// a value of the wrong type escaped as nlohmann::json's type_error, and a float where an index
// belongs was cast out of range (undefined behaviour).
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PoisonManifest.h"
#include "poisonlab/core/eval/EvaluationRecordIndex.h"
#include "poisonlab/core/experiment/MetricsLog.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/report/RunResults.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const char *const kRunJson = R"({"format": "poisonlab-run", "name": "unit", "status": "finished"})";
const char *const kFinalJson = R"({"name": "unit", "evaluation": {"utility": {"r_mean": 0.5}}})";

json demoManifest()
{
    return json::parse(
        readFile(test::testDataDir().parent_path() / "fuzz/corpus/fuzz_poison_manifest/demo-attack2-two-pairs.json"));
}

/// The message of the poisonlab::Error `read` throws; fails the test on no or another exception.
template <typename Read>
QString errorOf(Read read)
{
    try {
        read();
    } catch (const Error &e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception &e) {
        return QStringLiteral("another exception type: ") + e.what();
    }
    return QStringLiteral("no error");
}

} // namespace

class TestRunFolderReaders : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runJsonOfTheWrongShape_data();
    void runJsonOfTheWrongShape();
    void poisonManifestOfTheWrongShape_data();
    void poisonManifestOfTheWrongShape();
    void metricsRecordsOfTheWrongShapeAreLeftOutAndListed();
    void evaluationIndexOfTheWrongShape_data();
    void evaluationIndexOfTheWrongShape();
    void finalJsonNameOfTheWrongTypeIsIgnored();
};

void TestRunFolderReaders::runJsonOfTheWrongShape_data()
{
    QTest::addColumn<QString>("runJson");
    QTest::addColumn<QString>("message");
    QTest::newRow("format a number") << R"({"format": 1})"
                                     << "run.json: not a PoisonLab run manifest";
    QTest::newRow("images a string") << R"({"format": "poisonlab-run", "datasets": [{"name": "d", "images": "12"}]})"
                                     << R"(run.json: "datasets"[0]."images" must be an integer, got "12")";
    QTest::newRow("dataset without name") << R"({"format": "poisonlab-run", "datasets": [{}]})"
                                          << R"(run.json: "datasets"[0]."name" is missing)";
    QTest::newRow("seed out of range") << R"({"format": "poisonlab-run", "seed": 1e300})"
                                       << R"(run.json: "seed" must be a whole number >= 0, got 1e+300)";
    QTest::newRow("datasets an object") << R"({"format": "poisonlab-run", "datasets": {}})"
                                        << R"(run.json: "datasets" must be a list, got {})";
}

void TestRunFolderReaders::runJsonOfTheWrongShape()
{
    QFETCH(QString, runJson);
    QFETCH(QString, message);
    test::TempDir tmp;
    test::writeText(tmp / "run/run.json", runJson.toStdString());
    const QString error = errorOf([&] { experiment::RunDirectory::open(tmp / "run"); });
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestRunFolderReaders::poisonManifestOfTheWrongShape_data()
{
    QTest::addColumn<QString>("pointer"); // a JSON pointer into the demo manifest
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("message");
    QTest::newRow("format a list") << "/format"
                                   << R"(["poisonlab-poison-manifest"])"
                                   << "manifest.json: not a PoisonLab poison manifest";
    QTest::newRow("caption a fraction") << "/pairs/0/caption"
                                        << "1.5"
                                        << R"(manifest.json: "pairs"[0]."caption" must be an integer, got 1.5)";
    QTest::newRow("caption beyond int") << "/pairs/0/caption"
                                        << "4294967296"
                                        << R"("pairs"[0]."caption" is 4294967296, outside 0..2147483647)";
    QTest::newRow("goal not listed") << "/pairs/1/goal"
                                     << "5"
                                     << R"("pairs"[1]."goal" is 5, outside 0..0)";
    QTest::newRow("goals a string") << "/goals"
                                    << R"("sheep")"
                                    << R"("goals" must be a list, got "sheep")";
    QTest::newRow("text missing") << "/pairs/1/text"
                                  << "null"
                                  << R"("pairs"[1]."text" is missing)";
    QTest::newRow("seed negative") << "/seed"
                                   << "-1"
                                   << R"("seed" must be a whole number >= 0, got -1)";
}

void TestRunFolderReaders::poisonManifestOfTheWrongShape()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, message);
    json manifest = demoManifest();
    QVERIFY(attack::PoisonManifest::fromJson(manifest).pairs.size() == 2); // the seed itself reads
    manifest[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    const QString error = errorOf([&] { attack::PoisonManifest::fromJson(manifest, "run/poison/manifest.json"); });
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestRunFolderReaders::metricsRecordsOfTheWrongShapeAreLeftOutAndListed()
{
    test::TempDir tmp;
    test::writeText(tmp / "run/run.json", kRunJson);
    test::writeText(tmp / "run/results/final.json", kFinalJson);
    test::writeText(tmp / "run/metrics.jsonl", "5\n"
                                               R"({"type": "epoch", "epoch": "one", "step": 3})"
                                               "\n"
                                               R"({"type": 7, "utility": {}})"
                                               "\n"
                                               "{not json}\n"
                                               R"({"type": "epoch", "epoch": 1, "step": 3, "mean_loss": 0.5})"
                                               "\n"
                                               R"({"type": "step", "step": 4, "lo)");
    const auto log = experiment::MetricsLog::read(tmp / "run/metrics.jsonl");
    QCOMPARE(log.records.size(), std::size_t(1));
    QCOMPARE(log.skipped.size(), std::size_t(4)); // the cut last line is a kill, not listed
    QVERIFY2(log.skipped[0] == "line 1: not a JSON object: 5", log.skipped[0].c_str());
    QVERIFY2(log.skipped[1] == R"(line 2: "epoch" must be an integer in int's range, got "one")",
             log.skipped[1].c_str());
    QVERIFY2(log.skipped[2] == R"(line 3: "type" must be a string, got 7)", log.skipped[2].c_str());
    QVERIFY2(QString::fromStdString(log.skipped[3]).startsWith("line 4: not JSON ("), log.skipped[3].c_str());

    const auto run = report::RunResults::load(tmp / "run"); // threw json's type_error before
    QCOMPARE(run.epochRecords().size(), std::size_t(1));
    int listed = 0;
    for (const auto &p : run.problems)
        listed += QString::fromStdString(p.text()).contains("metrics.jsonl: line ") ? 1 : 0;
    QCOMPARE(listed, 4);
    QCOMPARE(experiment::RunDirectory::open(tmp / "run").metrics().size(), std::size_t(1));
}

void TestRunFolderReaders::evaluationIndexOfTheWrongShape_data()
{
    QTest::addColumn<QString>("index");
    QTest::addColumn<QString>("message");
    QTest::newRow("path a number") << R"({"images": [{"path": 5}], "captions": []})"
                                   << R"(index.json: "images"[0]."path" must be a string, got 5)";
    QTest::newRow("model a number") << R"({"model": 5, "images": [], "captions": []})"
                                    << R"(index.json: "model" must be a string, got 5)";
    QTest::newRow("image row outside") << R"({"images": [{}], "captions": [{"image_row": 1}]})"
                                       << R"("captions"[0]."image_row" is 1, outside 0..0)";
    QTest::newRow("image row a float") << R"({"images": [{}], "captions": [{"image_row": 1e300}]})"
                                       << R"("captions"[0]."image_row" must be an integer, got 1e+300)";
    QTest::newRow("caption without images") << R"({"images": [], "captions": [{"image_row": 0}]})"
                                            << R"("captions"[0]."image_row" names an image, but the index lists none)";
    QTest::newRow("unknown class") << R"({"classes": ["a"], "images": [{"class": "b"}], "captions": []})"
                                   << R"("images"[0]."class" names class 'b', which is not in)";
    QTest::newRow("ties unknown") << R"({"images": [], "captions": [], "eval_options": {"ties": "random"}})"
                                  << R"("eval_options"."ties" must be "optimistic" or "pessimistic", got "random")";
}

void TestRunFolderReaders::evaluationIndexOfTheWrongShape()
{
    QFETCH(QString, index);
    QFETCH(QString, message);
    const json j = json::parse(index.toStdString());
    const QString error = errorOf([&] { eval::EvaluationRecordIndex::fromJson(j, "final/index.json", "final"); });
    QVERIFY2(error.contains(message), qPrintable(error));
}

void TestRunFolderReaders::finalJsonNameOfTheWrongTypeIsIgnored()
{
    test::TempDir tmp;
    test::writeText(tmp / "run/run.json", kRunJson);
    test::writeText(tmp / "run/results/final.json", R"({"name": 5, "evaluation": {"utility": {"r_mean": 0.5}}})");
    const auto run = report::RunResults::load(tmp / "run"); // threw json's type_error before
    QCOMPARE(run.evaluation.utility.rMean, 0.5);
}

POISONLAB_TEST_MAIN(TestRunFolderReaders)
#include "tst_runfolderreaders.moc"
