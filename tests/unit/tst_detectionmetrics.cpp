// The pre-training defense's detection math (core/src/defense/DetectionMetrics.cpp) against small
// cases worked out by hand (tests/data/defense/detection_cases.json).
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/defense/DetectionMetrics.h"

#include <nlohmann/json.hpp>

#include <cmath>

using namespace poisonlab;
using namespace poisonlab::defense;
using nlohmann::json;

Q_DECLARE_METATYPE(json)

namespace {

/// Expected null means NaN (an undefined ratio).
void compareRatio(double actual, const json &expected, const char *what)
{
    if (expected.is_null()) {
        QVERIFY2(std::isnan(actual), what);
        return;
    }
    QVERIFY2(std::abs(actual - expected.get<double>()) < 1e-6,
             qPrintable(QString("%1: %2 != %3").arg(what).arg(actual).arg(expected.get<double>())));
}

} // namespace

class TestDetectionMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void handComputed_data();
    void handComputed();
    void badInput();
};

void TestDetectionMetrics::handComputed_data()
{
    QTest::addColumn<json>("c");
    const json cases = readJsonFile(test::testDataDir() / "defense" / "detection_cases.json");
    for (const auto &c : cases["cases"])
        QTest::newRow(c["name"].get<std::string>().c_str()) << c;
}

void TestDetectionMetrics::handComputed()
{
    QFETCH(json, c);
    const std::vector<float> scores = c["scores"].get<std::vector<float>>();
    std::vector<char> poisoned;
    for (int p : c["poisoned"].get<std::vector<int>>())
        poisoned.push_back(static_cast<char>(p));

    const DetectionCounts at = countAt(scores, poisoned, c["threshold"].get<double>());
    QCOMPARE(at.flagged, c["flagged"].get<long long>());
    QCOMPARE(at.truePositives, c["true_positives"].get<long long>());
    QCOMPARE(at.falsePositives, c["false_positives"].get<long long>());
    compareRatio(at.precision(), c["precision"], "precision");
    compareRatio(at.recall(), c["recall"], "recall");
    compareRatio(at.f1(), c["f1"], "f1");

    const std::vector<RocPoint> roc = rocCurve(scores, poisoned);
    QCOMPARE(roc.size(), c["roc"].size());
    for (size_t i = 0; i < roc.size(); ++i) {
        const json &e = c["roc"][i];
        if (e[0].is_null())
            QVERIFY(std::isinf(roc[i].threshold));
        else
            compareRatio(roc[i].threshold, e[0], "roc threshold");
        compareRatio(roc[i].fpr, e[1], "fpr");
        compareRatio(roc[i].tpr, e[2], "tpr");
    }
    compareRatio(rocAuc(roc), c["auc"], "auc");

    const ThresholdChoice best = bestF1Threshold(scores, poisoned);
    compareRatio(best.threshold, c["best_f1_threshold"], "best-F1 threshold");
    compareRatio(best.counts.f1(), c["best_f1"], "best F1");

    for (const auto &p : c["percentiles"])
        compareRatio(percentileThreshold(scores, p[0].get<double>()), p[1], "percentile");
}

void TestDetectionMetrics::badInput()
{
    const std::vector<float> scores{0.2f, 0.4f};
    QVERIFY_THROWS_EXCEPTION(Error, countAt(scores, {1}, 0.5));       // sizes differ
    QVERIFY_THROWS_EXCEPTION(Error, bestF1Threshold(scores, {0, 0})); // no poisoned pair
    QVERIFY_THROWS_EXCEPTION(Error, percentileThreshold(scores, 100.5));
    QVERIFY_THROWS_EXCEPTION(Error, percentileThreshold({}, 50));
    QVERIFY(rocCurve(scores, {0, 0}).empty()); // one group only: no curve, no AUC
    QVERIFY(std::isnan(rocAuc(rocCurve(scores, {1, 1}))));
}

POISONLAB_TEST_MAIN(TestDetectionMetrics)
#include "tst_detectionmetrics.moc"
