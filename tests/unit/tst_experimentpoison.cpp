// `poisonlab-cli poison` on a small CSV dataset written here: the exported paper records, the
// manifest, and bad configs or attack options rejected (exit 2) before anything is written.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"

#include <nlohmann/json.hpp>

#include <opencv2/imgcodecs.hpp>

using namespace poisonlab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// 4 classes x 6 images (4 train, 2 test) x 2 captions, as CSV with image files.
void writeCsvDataset(const fs::path &root)
{
    const char *classes[] = {"sheep", "aeroplane", "dog", "cat"};
    std::string csv = "image,caption,label,split\n";
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < 6; ++i) {
            const std::string name = std::string("img/") + classes[c] + std::to_string(i) + ".png";
            cv::Mat img(32, 32, CV_8UC3, cv::Scalar(40 * c, 255 - 50 * c, 20 * i));
            fs::create_directories(root / "img");
            cv::imwrite((root / name).string(), img);
            const char *split = i < 4 ? "train" : "test";
            for (int k = 0; k < 2; ++k)
                csv += name + ",a " + classes[c] + " number " + std::to_string(i) + " view " + std::to_string(k) + "," +
                       classes[c] + "," + split + "\n";
        }
    test::writeText(root / "captions.csv", csv);
}

json configFor(const fs::path &root)
{
    return {
        {"name", "poison-test"},
        {"datasets",
         {{"toy", {{"format", "csv"}, {"root", root.string()}, {"annotations", (root / "captions.csv").string()}}}}},
        {"attack",
         {{"plugin", "attack-single-target-label"},
          {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 0.5}, {"seed", 1}}}}}};
}

} // namespace

class TestExperimentPoison : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void exportsPoisonedSet();
    void rejectsBadInput_data();
    void rejectsBadInput();
};

void TestExperimentPoison::exportsPoisonedSet()
{
    test::TempDir dir;
    writeCsvDataset(dir / "toy");
    writeJsonAtomically(dir / "exp.json", configFor(dir / "toy"));
    std::string output;
    const std::string cmd = test::binary("poisonlab-cli").string() + " poison --config " + (dir / "exp.json").string() +
                            " --out " + (dir / "out/train.json").string() + " --poisoned-only " +
                            (dir / "out/poisoned.json").string() + " 2>&1";
    QCOMPARE(test::runCommand(cmd, &output), 0);
    const json records = readJsonFile(dir / "out/train.json");
    QCOMPARE(records.size(), size_t(32)); // 4 classes x 4 train images x 2 captions
    const json poisoned = readJsonFile(dir / "out/poisoned.json");
    QCOMPARE(poisoned.size(), size_t(4)); // half of the 8 sheep training captions
    for (const auto &r : poisoned) {
        QCOMPARE(r["label"].get<std::string>(), std::string("sheep"));
        QVERIFY2(r["image"].get<std::string>().find("aeroplane") != std::string::npos, r.dump().c_str());
    }
    const json manifest = readJsonFile(dir / "out/train.manifest.json");
    QCOMPARE(manifest["poisoned_pairs"].get<int>(), 4);
    QCOMPARE(manifest["training_pairs"].get<int>(), 32);
    QCOMPARE(manifest["phi"].get<double>(), 4.0 / 32.0);
    QCOMPARE(manifest["pairs"].size(), size_t(4));
    QVERIFY(manifest["datasets"][0]["checksum"].get<std::string>().rfind("fnv1a64:", 0) == 0);
    QVERIFY2(output.find("\"phi\": 0.125") != std::string::npos, output.c_str());
}

void TestExperimentPoison::rejectsBadInput_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unknown class") << "/attack/options/source"
                                   << "\"lamb\""
                                   << "unknown class \"lamb\"";
    QTest::newRow("rate above one") << "/attack/options/rate"
                                    << "2"
                                    << "must be in (0, 1]";
    QTest::newRow("mistyped key") << "/atack"
                                  << "{}"
                                  << "unknown key \"atack\" (did you mean \"attack\"?)";
    QTest::newRow("no attack") << "/attack"
                               << "null"
                               << "names no \"attack\"";
}

void TestExperimentPoison::rejectsBadInput()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    test::TempDir dir;
    writeCsvDataset(dir / "toy");
    json cfg = configFor(dir / "toy");
    cfg[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    writeJsonAtomically(dir / "exp.json", cfg);
    std::string output;
    const std::string cmd = test::binary("poisonlab-cli").string() + " poison --config " + (dir / "exp.json").string() +
                            " --out " + (dir / "train.json").string() + " 2>&1";
    QCOMPARE(test::runCommand(cmd, &output), 2);
    QVERIFY2(output.find(expected.toStdString()) != std::string::npos, output.c_str());
    QVERIFY(!fs::exists(dir / "train.json")); // nothing written
}

POISONLAB_TEST_MAIN(TestExperimentPoison)
#include "tst_experimentpoison.moc"
