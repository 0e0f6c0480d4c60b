// report::RunResults' typed views that the workbench's run viewer and run comparison read: the
// per-epoch records (loss, learning rate and evaluation of each epoch of metrics.jsonl) and the
// typed poison manifest (from poison/manifest.json, else final.json's copy without pairs; a
// malformed one is a problem naming the file, not an error).
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/report/RunResults.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

class TestRunResults : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void epochRecordsHoldTheFilesNumbers_data();
    void epochRecordsHoldTheFilesNumbers();
    void epochsWithoutEvaluationKeepTheirLoss();
    void cleanRunHasNoEpochsAndNoManifest();
    void poisonManifestIsTyped_data();
    void poisonManifestIsTyped();
    void malformedManifestIsAProblem();

private:
    fs::path attackRun() const { return test::testDataDir() / "report" / "attack-run"; }
};

void TestRunResults::epochRecordsHoldTheFilesNumbers_data()
{
    QTest::addColumn<int>("index");
    QTest::addColumn<int>("epoch");
    QTest::addColumn<double>("meanLoss"); // NaN: absent
    QTest::addColumn<double>("lr");
    QTest::addColumn<double>("rMean");
    QTest::addColumn<double>("hit10"); // goal 2 (sofa->bird)
    const double nan = std::nan("");
    QTest::newRow("starting model") << 0 << 0 << nan << nan << 0.715 << 0.1333;
    QTest::newRow("epoch 1") << 1 << 1 << 1.9 << 1e-05 << 0.7027666666666667 << 0.6;
    QTest::newRow("epoch 2") << 2 << 2 << 1.45 << 1e-05 << 0.695 << 0.8667;
}

void TestRunResults::epochRecordsHoldTheFilesNumbers()
{
    QFETCH(int, index);
    QFETCH(int, epoch);
    QFETCH(double, meanLoss);
    QFETCH(double, lr);
    QFETCH(double, rMean);
    QFETCH(double, hit10);
    const auto records = report::RunResults::load(attackRun()).epochRecords();
    QCOMPARE(records.size(), std::size_t(3));
    const report::EpochRecord &r = records[std::size_t(index)];
    QCOMPARE(r.epoch, epoch);
    QCOMPARE(std::isnan(r.meanLoss), std::isnan(meanLoss));
    if (!std::isnan(meanLoss)) {
        QCOMPARE(r.meanLoss, meanLoss);
        QCOMPARE(r.learningRate, lr);
        QCOMPARE(*r.step, std::int64_t(3 * epoch));
        QCOMPARE(r.seconds, 1.5);
    } else {
        QVERIFY(!r.step);
    }
    QVERIFY(r.evaluation);
    QCOMPARE(r.evaluation->utility.rMean, rMean);
    QCOMPARE(r.evaluation->attacks.size(), std::size_t(2));
    QCOMPARE(r.evaluation->attacks[1].attack.hitAt(10), hit10);
}

// Without evaluation.every_epoch an epoch has its loss and no evaluation; the last one has the
// final evaluation's record.
void TestRunResults::epochsWithoutEvaluationKeepTheirLoss()
{
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(attackRun(), run, fs::copy_options::recursive);
    std::vector<json> lines;
    for (const json &m : report::RunResults::load(run).metrics) {
        json line = m;
        if (line.value("type", "") == "epoch")
            line.erase("evaluation");
        if (line.value("type", "") != "evaluation" || line.value("model", "") != "initial")
            lines.push_back(line);
    }
    std::string text;
    for (const json &l : lines)
        text += l.dump() + "\n";
    test::writeText(run / "metrics.jsonl", text);
    json final = readJsonFile(run / "results/final.json");
    final["initial_evaluation"] = nullptr;
    writeJsonAtomically(run / "results/final.json", final);

    const auto records = report::RunResults::load(run).epochRecords();
    QCOMPARE(records.size(), std::size_t(2));
    QCOMPARE(records[0].epoch, 1);
    QCOMPARE(records[0].meanLoss, 1.9);
    QVERIFY(!records[0].evaluation);
    QCOMPARE(records[1].epoch, 2);
    QVERIFY(records[1].evaluation); // the final evaluation record at epoch 2
    QCOMPARE(records[1].evaluation->attacks[0].attack.hitAt(10), 0.9333);
}

void TestRunResults::cleanRunHasNoEpochsAndNoManifest()
{
    const auto r = report::RunResults::load(test::testDataDir() / "report" / "clean-run");
    QVERIFY(r.epochRecords().empty());
    QVERIFY(!r.poisonManifest);
}

void TestRunResults::poisonManifestIsTyped_data()
{
    QTest::addColumn<bool>("fromFinal"); // poison/manifest.json removed: final.json's copy
    QTest::newRow("poison/manifest.json") << false;
    QTest::newRow("final.json poison") << true;
}

void TestRunResults::poisonManifestIsTyped()
{
    QFETCH(bool, fromFinal);
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(attackRun(), run, fs::copy_options::recursive);
    if (fromFinal) {
        fs::remove(run / "poison/manifest.json");
        json final = readJsonFile(run / "results/final.json");
        final["poison"].erase("pairs");
        writeJsonAtomically(run / "results/final.json", final);
    }
    const auto r = report::RunResults::load(run);
    QVERIFY(r.poisonManifest);
    const attack::PoisonManifest &m = *r.poisonManifest;
    QCOMPARE(m.attack, std::string("attack-multi-target-label"));
    QCOMPARE(m.rate, 1.0);
    QCOMPARE(m.unit, std::string("caption"));
    QCOMPARE(m.trainingPairs, 4800LL);
    QCOMPARE(m.poisonedPairs, 60LL);
    QCOMPARE(m.phi(), 0.0125);
    QCOMPARE(m.goals.size(), std::size_t(2));
    QCOMPARE(m.goals[1].source, std::string("sofa"));
    QCOMPARE(m.goals[1].target, std::string("bird"));
    QCOMPARE(m.goals[1].eligiblePairs, 30LL);
    QCOMPARE(m.goals[1].targetImages, 6LL);
    QCOMPARE(m.goals[1].targetImagesUsed, 5LL);
}

void TestRunResults::malformedManifestIsAProblem()
{
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(attackRun(), run, fs::copy_options::recursive);
    json manifest = readJsonFile(run / "poison/manifest.json");
    manifest.erase("rate");
    writeJsonAtomically(run / "poison/manifest.json", manifest);
    const auto r = report::RunResults::load(run);
    QVERIFY(!r.poisonManifest);
    QVERIFY(r.poison.is_object()); // the document is still there for who reads it as JSON
    QVERIFY(std::any_of(r.problems.begin(), r.problems.end(), [](const report::ReportProblem &p) {
        return p.text().find("manifest.json") != std::string::npos && p.text().find("rate") != std::string::npos;
    }));
}

POISONLAB_TEST_MAIN(TestRunResults)
#include "tst_runresults.moc"
