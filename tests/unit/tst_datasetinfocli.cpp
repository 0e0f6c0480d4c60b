// `poisonlab-cli dataset info` on the real executable: counts, per-class/per-split tables and
// the skipped list, as text and JSON; bad usage exits 2 with a message.
#include "TestSupport.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

using namespace poisonlab;
namespace fs = std::filesystem;

class TestDatasetInfoCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void json();
    void text();
    void badInput_data();
    void badInput();

private:
    test::TempDir m_dir;
};

void TestDatasetInfoCli::initTestCase()
{
    fs::create_directories(m_dir / "d/img");
    cv::Mat img(8, 8, CV_8UC3, cv::Scalar(1, 2, 3));
    cv::imwrite((m_dir / "d/img/a.jpg").string(), img);
    cv::imwrite((m_dir / "d/img/b.png").string(), img);
    test::writeText(m_dir / "d/pairs.csv", "image,caption,label,split\n"
                                           "img/a.jpg,a dog,dog,train\n"
                                           "img/a.jpg,the dog,dog,train\n"
                                           "img/b.png,a cat,cat,test\n"
                                           "img/missing.jpg,gone,cat,test\n");
}

void TestDatasetInfoCli::json()
{
    std::string out;
    const std::string cmd = test::binary("poisonlab-cli").string() + " -q dataset info --format csv --root " +
                            (m_dir / "d").string() + " --json";
    QCOMPARE(test::runCommand(cmd, &out), 0);
    QVERIFY2(out.find('{') != std::string::npos, out.c_str());
    const auto j = nlohmann::json::parse(out.substr(out.find('{'))); // runCommand merges stderr
    QCOMPARE(j["images"].get<int>(), 2);
    QCOMPARE(j["captions"].get<int>(), 3);
    QCOMPARE(j["splits"]["train"]["images"].get<int>(), 1);
    QCOMPARE(j["splits"]["train"]["captions"].get<int>(), 2);
    QCOMPARE(j["splits"]["test"]["images"].get<int>(), 1);
    QCOMPARE(j["classes"][0]["name"].get<std::string>(), std::string("dog"));
    QCOMPARE(j["classes"][0]["images"].get<int>(), 1);
    QCOMPARE(j["skipped"].size(), size_t(1));
    QCOMPARE(j["skipped"][0]["where"].get<std::string>(), std::string("img/missing.jpg"));
    QCOMPARE(j["skipped"][0]["reason"].get<std::string>(), std::string("file not found"));
}

void TestDatasetInfoCli::text()
{
    std::string out;
    const std::string cmd = test::binary("poisonlab-cli").string() + " dataset info --format csv --root " +
                            (m_dir / "d").string() + " --annotations " + (m_dir / "d/pairs.csv").string();
    QCOMPARE(test::runCommand(cmd, &out), 0);
    for (const char *want : {"images:   2", "captions: 3", "train           1         2", "test            1         1",
                             "dog", "cat", "Skipped (1)", "img/missing.jpg: file not found"})
        QVERIFY2(out.find(want) != std::string::npos, (std::string(want) + " not in:\n" + out).c_str());
}

void TestDatasetInfoCli::badInput_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown format") << "--format nope --root ."
                                    << "known formats: ";
    QTest::newRow("missing root") << "--format csv --root /no/such/folder"
                                  << "dataset root folder not found";
    QTest::newRow("missing annotation") << "--format coco --root . --annotations nothere.json"
                                        << "annotation file not found";
    QTest::newRow("no format") << "--root ."
                               << "--format";
}

void TestDatasetInfoCli::badInput()
{
    QFETCH(QString, args);
    QFETCH(QString, message);
    std::string out;
    const std::string cmd = "cd " + m_dir.path().string() + " && " + test::binary("poisonlab-cli").string() +
                            " dataset info " + args.toStdString();
    QCOMPARE(test::runCommand(cmd, &out), 2);
    QVERIFY2(out.find(message.toStdString()) != std::string::npos, out.c_str());
}

POISONLAB_TEST_MAIN(TestDatasetInfoCli)
#include "tst_datasetinfocli.moc"
