// The streaming JSON reader accepts exactly what nlohmann::json accepts, reads the same values,
// and every JSON importer reports malformed files with file, line and column.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/JsonPullParser.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

using namespace poisonlab;
using namespace poisonlab::data;
using poisonlab::plugin::openDataset;
namespace fs = std::filesystem;

class TestDatasetJson : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void agreesWithNlohmann_data();
    void agreesWithNlohmann();
    void bufferBoundaries();
    void malformedNamesFileAndLine_data();
    void malformedNamesFileAndLine();
    void recordArrays_data();
    void recordArrays();
};

void TestDatasetJson::agreesWithNlohmann_data()
{
    QTest::addColumn<QByteArray>("text");
    const char *cases[] = {"{}", "[]", "{\"a\": [1, 2.5, -3e2, true, false, null, \"x\"]}",
                           "  [ {\"k\" : {\"n\": []}} ]  ", "\"\\u00e9\\ud83d\\ude00\\n\\t\\\\\\/\"", "0", "-0.0e+1",
                           "123456789012345678",
                           // invalid
                           "", "{", "[1,]", "{\"a\":1,}", "[01]", "[1.]", "[.5]", "[-]", "[1e]", "{\"a\" 1}", "{a: 1}",
                           "[tru]", "[nul]", "\"unterminated", "\"bad \\x escape\"", "\"lone \\ud800 surrogate\"",
                           "[1] [2]", "[\"tab\there\"]", "{\"a\":1 \"b\":2}", "[1 2]", "[+1]", "[\"\\u12G4\"]"};
    int i = 0;
    for (const char *c : cases)
        QTest::newRow(("case " + std::to_string(i++) + ": " + c).c_str()) << QByteArray(c);
}

void TestDatasetJson::agreesWithNlohmann()
{
    QFETCH(QByteArray, text);
    test::TempDir dir;
    const fs::path file = dir / "x.json";
    test::writeText(file, text.toStdString());
    const bool expected = nlohmann::json::accept(text.toStdString());
    bool skipped = true, read = true;
    nlohmann::json value;
    try {
        JsonPullParser p(file);
        p.skipValue();
        p.expectEnd();
    } catch (const Error &) {
        skipped = false;
    }
    try {
        JsonPullParser p(file);
        value = p.readValue();
        p.expectEnd();
    } catch (const Error &) {
        read = false;
    }
    QCOMPARE(skipped, expected);
    QCOMPARE(read, expected);
    if (expected)
        QCOMPARE(value.dump(), nlohmann::json::parse(text.toStdString()).dump());
}

// Strings and numbers that straddle the 1 MiB read buffer are read whole.
void TestDatasetJson::bufferBoundaries()
{
    test::TempDir dir;
    const fs::path file = dir / "big.json";
    nlohmann::json doc = nlohmann::json::array();
    std::string longText(300000, 'x');
    longText += "\xC3\xA9 \"quoted\" end";
    for (int i = 0; i < 12; ++i)
        doc.push_back({{"caption", longText + std::to_string(i)}, {"n", 1234567.125 + i}, {"id", 1000000000000LL + i}});
    test::writeText(file, doc.dump());
    JsonPullParser p(file);
    QVERIFY(p.readValue() == doc);
    p.expectEnd();
}

void TestDatasetJson::malformedNamesFileAndLine_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("file");
    QTest::newRow("coco") << "coco"
                          << "annotations/captions_train2017.json";
    QTest::newRow("coco instances") << "coco"
                                    << "annotations/instances_train2017.json";
    QTest::newRow("karpathy") << "karpathy"
                              << "dataset_flickr30k.json";
    QTest::newRow("paper-json") << "paper-json"
                                << "pascal_train.json";
}

void TestDatasetJson::malformedNamesFileAndLine()
{
    QFETCH(QString, format);
    QFETCH(QString, file);
    test::TempDir dir;
    const std::string name = file.toStdString();
    // Line 3 holds the error (a missing comma) in every case.
    const std::string bad =
        name.find("pascal") != std::string::npos
            ? "[\n  {\"image\": \"a.jpg\", \"caption\": \"x\"},\n  {\"image\": \"b.jpg\" \"caption\": \"y\"}\n]\n"
            : "{\n  \"images\": [],\n  \"annotations\": [] \"categories\": []\n}\n";
    test::writeText(dir / name, bad);
    if (name.find("instances") != std::string::npos)
        test::writeText(dir / "annotations/captions_train2017.json", "{\"images\": [], \"annotations\": []}");
    DatasetSource source{format.toStdString(), dir.path(), {dir / name}, nlohmann::json::object()};
    if (name.find("instances") != std::string::npos)
        source.annotations.push_back(dir / "annotations/captions_train2017.json");
    NullProgress progress;
    try {
        openDataset(source, progress);
        QFAIL("no exception");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find(fs::path(name).filename().string()) != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("line 3") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find("column") != std::string::npos, msg.c_str());
    }
}

// Every JSON importer walks its record arrays the same way (DatasetBuilder::readRecords): an
// element that is not an object is skipped and located as "<file> <array>[i]", and a value that
// should be an array but is not fails the file, naming it.
void TestDatasetJson::recordArrays_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<QString>("expected"); // '|'-separated "where: reason" skips, or "error: ..." substrings
    QTest::newRow("coco: non-object image and annotation")
        << "coco"
        << "annotations/captions_train2017.json"
        << QByteArray("{\"images\": [5, {\"id\": 1, \"file_name\": \"a.jpg\"}],"
                      " \"annotations\": [\"x\", {\"image_id\": 1, \"id\": 7, \"caption\": \"a cat\"}]}")
        << "captions_train2017.json images[0]: image record must be an object|"
           "captions_train2017.json annotations[0]: annotation must be an object";
    QTest::newRow("coco: images not an array")
        << "coco"
        << "annotations/captions_train2017.json" << QByteArray("{\"images\": {}, \"annotations\": []}")
        << "error: captions_train2017.json|error: \"images\" must be an array";
    QTest::newRow("coco: annotations not an array")
        << "coco"
        << "annotations/captions_train2017.json" << QByteArray("{\"images\": [], \"annotations\": 3}")
        << "error: captions_train2017.json|error: \"annotations\" must be an array";
    QTest::newRow("karpathy: non-object image")
        << "karpathy"
        << "dataset_flickr30k.json"
        << QByteArray("{\"images\": [[], {\"filename\": \"a.jpg\", \"split\": \"train\","
                      " \"sentences\": [{\"raw\": \"a dog\"}]}]}")
        << "dataset_flickr30k.json images[0]: image record must be an object";
    QTest::newRow("karpathy: images not an array")
        << "karpathy"
        << "dataset_flickr30k.json" << QByteArray("{\"images\": \"none\"}")
        << "error: dataset_flickr30k.json|error: \"images\" must be an array";
    QTest::newRow("paper-json: non-object record")
        << "paper-json"
        << "pascal_train.json"
        << QByteArray("[1, {\"image\": \"a.jpg\", \"caption\": \"a cat\", \"image_id\": 1, \"label\": \"cat\"},"
                      " null]")
        << "pascal_train.json [0]: record must be an object|pascal_train.json [2]: record must be an object";
    QTest::newRow("paper-json: not an array") << "paper-json"
                                              << "pascal_train.json" << QByteArray("{\"image\": \"a.jpg\"}")
                                              << "error: pascal_train.json|error: expected an array of";
}

void TestDatasetJson::recordArrays()
{
    QFETCH(QString, format);
    QFETCH(QString, file);
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    test::TempDir dir;
    test::writeText(dir / file.toStdString(), text.toStdString());
    const nlohmann::json options = {{"checkFiles", false}, {"imageDir", "images"}};
    DatasetSource source{format.toStdString(), dir.path(), {dir / file.toStdString()}, options};
    NullProgress progress;
    const QStringList wanted = expected.split('|');
    if (wanted.front().startsWith("error: ")) {
        try {
            openDataset(source, progress);
            QFAIL("no exception");
        } catch (const Error &e) {
            const QString msg = QString::fromStdString(e.what());
            for (const QString &w : wanted)
                QVERIFY2(msg.contains(w.mid(7)), qPrintable(msg));
        }
        return;
    }
    const Dataset d = openDataset(source, progress);
    QCOMPARE(d.images.size(), std::size_t(1)); // the good record still loads
    QStringList skipped;
    for (const SkippedItem &s : d.skipped)
        skipped << QString::fromStdString(s.where + ": " + s.reason);
    for (const QString &w : wanted)
        QVERIFY2(skipped.contains(w), qPrintable(skipped.join("\n")));
}

POISONLAB_TEST_MAIN(TestDatasetJson)
#include "tst_datasetjson.moc"
