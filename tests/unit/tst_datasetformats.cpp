// Every dataset format opens from small files in its real layout, with golden counts and labels.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>

#include <map>
#include <set>
#include <sstream>
#include <sys/stat.h>

using namespace poisonlab;
using namespace poisonlab::data;
using poisonlab::plugin::openDataset;
namespace fs = std::filesystem;

namespace {

void writeImage(const fs::path &p)
{
    fs::create_directories(p.parent_path());
    cv::Mat img(8, 8, CV_8UC3, cv::Scalar(10, 200, 30));
    QVERIFY(cv::imwrite(p.string(), img));
}

std::string fiveLines(const std::string &what)
{
    std::string s;
    for (int i = 1; i <= 5; ++i)
        s += "A " + what + " number " + std::to_string(i) + ".\n";
    return s;
}

std::string karpathyImage(const std::string &file, const std::string &split, int sentences,
                          const std::string &extra = "")
{
    std::string s = "{\"filename\": \"" + file + "\", \"split\": \"" + split + "\", " + extra + "\"sentences\": [";
    for (int i = 0; i < sentences; ++i)
        s += std::string(i ? ", " : "") + "{\"tokens\": [\"a\"], \"raw\": \"Caption " + std::to_string(i) + " of " +
             file + ".\", \"sentid\": " + std::to_string(i) + "}";
    return s + "]}";
}

// Official COCO captions + instances for three images; image 3 has no instances.
void writeCoco(const fs::path &root, const std::string &tag, long long idBase, bool bad = false)
{
    std::ostringstream cap, ins;
    cap << "{\"info\": {\"year\": 2017}, \"licenses\": [], \"images\": [";
    for (int i = 0; i < 3; ++i) {
        const long long id = idBase + i;
        const std::string file = "COCO_" + tag + "_" + std::to_string(id) + ".jpg";
        writeImage(root / tag / file);
        cap << (i ? "," : "") << "{\"license\": 1, \"file_name\": \"" << file
            << "\", \"height\": 8, \"width\": 8, \"id\": " << id << "}";
    }
    if (bad)
        cap << ", {\"id\": 999}"; // no file_name
    cap << "], \"annotations\": [";
    int n = 0;
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 5; ++k, ++n)
            cap << (n ? "," : "") << "{\"image_id\": " << idBase + i << ", \"id\": " << n << ", \"caption\": \"A photo "
                << k << ".\"}";
    if (bad)
        cap << ", {\"id\": 100, \"caption\": \"no image id\"}, {\"image_id\": \"1\", \"id\": 101, \"caption\": \"x\"}"
               ", {\"image_id\": 123456, \"id\": 102, \"caption\": \"dangling\"}"
               ", {\"image_id\": "
            << idBase << ", \"id\": 103, \"caption\": \"\"}";
    cap << "]}";
    ins << "{\"info\": {}, \"images\": [], \"annotations\": ["
        << "{\"segmentation\": [[1.5, 2.25, 3, 4e0, 5.0, 6]], \"area\": 3.5, \"iscrowd\": 0, \"image_id\": " << idBase
        << ", \"bbox\": [1, 2, 3, 4], \"category_id\": 1, \"id\": 1},"
        << "{\"segmentation\": {\"counts\": [1, 2], \"size\": [8, 8]}, \"image_id\": " << idBase + 1
        << ", \"category_id\": 18, \"id\": 2},"
        << "{\"segmentation\": [], \"image_id\": " << idBase + 1 << ", \"category_id\": 17, \"id\": 3},"
        << "{\"segmentation\": [], \"image_id\": " << idBase + 1 << ", \"category_id\": 17, \"id\": 4}";
    if (bad)
        ins << ", {\"image_id\": " << idBase << ", \"category_id\": 1.5, \"id\": 5}";
    ins << "], \"categories\": [{\"supercategory\": \"person\", \"id\": 1, \"name\": \"person\"},"
        << "{\"supercategory\": \"animal\", \"id\": 17, \"name\": \"cat\"},"
        << "{\"supercategory\": \"animal\", \"id\": 18, \"name\": \"dog\"},"
        << "{\"supercategory\": \"vehicle\", \"id\": 3, \"name\": \"car\"}]}";
    test::writeText(root / "annotations" / ("captions_" + tag + ".json"), cap.str());
    test::writeText(root / "annotations" / ("instances_" + tag + ".json"), ins.str());
}

// Builds the named layout under `root`; returns the annotation files to pass (may be empty).
std::vector<fs::path> makeLayout(const std::string &layout, const fs::path &root)
{
    if (layout == "pascal" || layout == "pascal-bad") {
        writeImage(root / "dataset/cat/2008_000001.jpg");
        writeImage(root / "dataset/cat/2008_000002.png");
        writeImage(root / "dataset/dog/2008_000003.jpg");
        test::writeText(root / "sentence/cat/2008_000001.txt", fiveLines("cat"));
        test::writeText(root / "sentence/cat/2008_000002.txt", fiveLines("kitten"));
        test::writeText(root / "sentence/dog/2008_000003.txt", fiveLines("dog"));
        if (layout == "pascal-bad") {
            writeImage(root / "dataset/dog/no_sentence.jpg");                        // skipped: no sentence file
            test::writeText(root / "sentence/dog/no_image.txt", fiveLines("ghost")); // skipped: no image
            test::writeText(root / "dataset/dog/empty.jpg", "");                     // skipped: empty file
            test::writeText(root / "sentence/dog/empty.txt", fiveLines("empty"));
            test::writeText(root / "dataset/dog/text.jpg", "hello, not a JPEG"); // skipped: not an image
            test::writeText(root / "sentence/dog/text.txt", fiveLines("text"));
            const std::string jpeg = poisonlab::readFile(root / "dataset/dog/2008_000003.jpg");
            test::writeText(root / "dataset/dog/cut.jpg", jpeg.substr(0, jpeg.size() / 2)); // skipped: truncated
            test::writeText(root / "sentence/dog/cut.txt", fiveLines("cut"));
            writeImage(root.parent_path() / "outside/secret.jpg");
            fs::create_symlink(root.parent_path() / "outside/secret.jpg", root / "dataset/dog/link.jpg");
            test::writeText(root / "sentence/dog/link.txt", fiveLines("link")); // skipped: symlink out of root
            // a sentence file that is a link out of the root, or a FIFO (its read would block)
            test::writeText(root.parent_path() / "outside/secret.txt", fiveLines("secret"));
            writeImage(root / "dataset/dog/leak.jpg");
            fs::create_symlink(root.parent_path() / "outside/secret.txt", root / "sentence/dog/leak.txt");
            writeImage(root / "dataset/dog/pipe.jpg");
            if (::mkfifo((root / "sentence/dog/pipe.txt").c_str(), 0600) != 0)
                qFatal("mkfifo failed");
            // one non-UTF-8 line among five: that caption is skipped, the image stays
            test::writeText(root / "sentence/cat/2008_000001.txt", fiveLines("cat").substr(0, 40) + "\xC3\x28 bad\n");
        }
        return {};
    }
    if (layout == "karpathy-flickr" || layout == "karpathy-bad") {
        for (const char *f : {"1.jpg", "2.jpg", "3.jpg"})
            writeImage(root / "flickr30k-images" / f);
        std::string images = karpathyImage("1.jpg", "train", 5) + "," + karpathyImage("2.jpg", "val", 5) + "," +
                             karpathyImage("3.jpg", "test", 5);
        if (layout == "karpathy-bad")
            images += ",{\"split\": \"train\", \"sentences\": []}"                             // missing filename
                      ",{\"filename\": \"1.jpg\", \"split\": \"train\", \"sentences\": \"x\"}" // wrong type
                      "," +
                      karpathyImage("../../escape.jpg", "train", 1) +  // escapes the root
                      "," + karpathyImage("/etc/passwd", "train", 1) + // absolute
                      "," + karpathyImage("missing.jpg", "train", 1) + // file not found
                      "," + karpathyImage("2.jpg", "holdout", 1);      // unknown split
        test::writeText(root / "dataset_flickr30k.json", "{\"images\": [" + images + "], \"dataset\": \"flickr30k\"}");
        return {};
    }
    if (layout == "karpathy-coco") {
        writeCoco(root, "val2014", 100);
        const std::string images =
            karpathyImage("COCO_val2014_100.jpg", "restval", 5, "\"filepath\": \"val2014\", \"cocoid\": 100, ") + "," +
            karpathyImage("COCO_val2014_101.jpg", "test", 5, "\"filepath\": \"val2014\", \"cocoid\": 101, ");
        test::writeText(root / "dataset_coco.json", "{\"images\": [" + images + "], \"dataset\": \"coco\"}");
        return {root / "dataset_coco.json", root / "annotations/instances_val2014.json"};
    }
    if (layout == "flickr-token") {
        std::string token;
        for (const char *f : {"10.jpg", "11.jpg"}) {
            writeImage(root / "flickr30k-images" / f);
            for (int i = 0; i < 5; ++i)
                token += std::string(f) + "#" + std::to_string(i) + "\tA caption " + std::to_string(i) + " .\n";
        }
        token += "malformed line without a tab\n";
        token += "12.jpg#0\tImage file missing .\n";
        test::writeText(root / "results_20130124.token", token);
        return {};
    }
    if (layout == "coco2017" || layout == "coco-bad") {
        writeCoco(root, "train2017", 1, layout == "coco-bad");
        return {};
    }
    if (layout == "coco2014") {
        writeCoco(root, "train2014", 1);
        writeCoco(root, "val2014", 100);
        return {};
    }
    if (layout == "paper-json") {
        writeImage(root / "JPEGImages/a.jpg");
        writeImage(root / "JPEGImages/b.jpg");
        writeImage(root / "JPEGImages/c.jpg");
        test::writeText(
            root / "pascal_train.json",
            "[{\"image\": \"JPEGImages/a.jpg\", \"caption\": [\"one\", \"two\"], \"image_id\": 1, \"label\": \"cat\"},"
            " {\"image\": \"JPEGImages/b.jpg\", \"caption\": \"three\", \"image_id\": \"b\", \"label\": \"dog\"},"
            " {\"image\": \"JPEGImages/missing.jpg\", \"caption\": \"gone\", \"image_id\": 9, \"label\": \"dog\"},"
            " {\"image\": 5, \"caption\": \"bad type\", \"image_id\": 10, \"label\": \"dog\"},"
            " {\"caption\": \"no image\", \"image_id\": 11, \"label\": \"dog\"},"
            " {\"image\": \"JPEGImages/b.jpg\", \"caption\": 7, \"image_id\": 12}]");
        test::writeText(
            root / "pascal_test.json",
            "[{\"image\": \"JPEGImages/c.jpg\", \"caption\": \"four\", \"image_id\": 3, \"label\": \"cat\"}]");
        return {root / "pascal_train.json", root / "pascal_test.json"};
    }
    if (layout == "paper-json-int") {
        writeImage(root / "val2014/x.jpg");
        writeImage(root / "val2014/y.jpg");
        test::writeText(root / "coco_test.json",
                        "[{\"image\": \"val2014/x.jpg\", \"caption\": [\"a\", \"b\"], \"image_id\": 1, \"label\": 2},"
                        " {\"image\": \"val2014/y.jpg\", \"caption\": \"c\", \"image_id\": 2, \"label\": 0},"
                        // once made classes 0..label: hours, then all memory (fuzz_paper_json)
                        " {\"image\": \"val2014/x.jpg\", \"caption\": \"d\", \"label\": 900000000000}]");
        return {root / "coco_test.json"};
    }
    if (layout == "csv" || layout == "tsv") {
        writeImage(root / "img/a.jpg");
        writeImage(root / "img/b.png");
        if (layout == "csv")
            test::writeText(root / "pairs.csv", "\xEF\xBB\xBFimage,caption,label,split\n"
                                                "img/a.jpg,\"A dog, running\",dog,train\n"
                                                "img/a.jpg,\"He said \"\"hi\"\"\nacross lines\",dog,train\n"
                                                "img/b.png,A cat,cat,test\n"
                                                "img/b.png,too,many,fields,here\n"
                                                "img/b.png,A cat again,cat,later\n"
                                                "/abs/c.jpg,absolute,cat,train\n"
                                                "img/../../c.jpg,escapes,cat,train\n");
        else
            test::writeText(root / "pairs.tsv", "split\timage\tcaption\n"
                                                "val\timg/a.jpg\tA dog, running\n"
                                                "val\timg/b.png\tA cat\n");
        return {};
    }
    qFatal("unknown layout %s", layout.c_str());
}

} // namespace

class TestDatasetFormats : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opens_data();
    void opens();
    void unknownFormatListsKnownOnes();
    void karpathyCocoLabelsFromInstances();
    void csvRecordsSpanTheReadBuffer();
};

void TestDatasetFormats::opens_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("layout");
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("captions");
    QTest::addColumn<QString>("classes"); // class names in order
    QTest::addColumn<QString>("labels");  // "<path>=<label>;..." for some images ("-" = none)
    QTest::addColumn<QString>("splits");  // "train=2,val=1"
    QTest::addColumn<QString>("skipped"); // '|'-separated substrings of the skip reasons, in any order

    QTest::newRow("pascal-sentences") << "pascal-sentences"
                                      << "pascal" << 3 << 15 << "cat,dog"
                                      << "dataset/cat/2008_000002.png=cat;dataset/dog/2008_000003.jpg=dog"
                                      << "none=3"
                                      << "";
    QTest::newRow("pascal-sentences bad files")
        << "pascal-sentences"
        << "pascal-bad" << 3 << 12 << "cat,dog"
        << "dataset/cat/2008_000001.jpg=cat"
        << "none=3"
        << "not valid UTF-8|no sentence file|no image|empty file|not an image|truncated JPEG|symbolic link|"
           "sentence/dog/leak.txt: sentence file leads outside the dataset root|"
           "sentence/dog/pipe.txt: sentence file is not a regular file";
    QTest::newRow("karpathy flickr30k") << "karpathy"
                                        << "karpathy-flickr" << 3 << 15 << ""
                                        << "flickr30k-images/1.jpg=-"
                                        << "train=1,val=1,test=1"
                                        << "";
    QTest::newRow("karpathy bad records")
        << "karpathy"
        << "karpathy-bad" << 3 << 15 << ""
        << ""
        << "train=1,val=1,test=1"
        << "missing key \"filename\"|\"sentences\" must be an array|escapes the dataset root|absolute image "
           "path|file not found|unknown split";
    QTest::newRow("flickr30k token") << "flickr30k-token"
                                     << "flickr-token" << 2 << 10 << ""
                                     << ""
                                     << "none=2"
                                     << "expected \"<image>#<n><TAB><caption>\"|file not found";
    QTest::newRow("coco 2017") << "coco"
                               << "coco2017" << 3 << 15 << "person,car,cat,dog"
                               << "train2017/COCO_train2017_1.jpg=person;train2017/COCO_train2017_3.jpg=-"
                               << "train=3"
                               << "";
    QTest::newRow("coco 2014 train+val") << "coco"
                                         << "coco2014" << 6 << 30 << "person,car,cat,dog"
                                         << "val2014/COCO_val2014_100.jpg=person"
                                         << "train=3,val=3"
                                         << "";
    QTest::newRow("coco bad records")
        << "coco"
        << "coco-bad" << 3 << 15 << "person,car,cat,dog"
        << "train2017/COCO_train2017_1.jpg=person"
        << "train=3"
        << "missing key \"file_name\"|missing key \"image_id\"|key \"image_id\" has the wrong type|is not in "
           "\"images\"|empty caption|key \"category_id\" must be an integer";
    QTest::newRow("paper json") << "paper-json"
                                << "paper-json" << 3 << 4 << "cat,dog"
                                << "JPEGImages/a.jpg=cat;JPEGImages/b.jpg=dog;JPEGImages/c.jpg=cat"
                                << "train=2,test=1"
                                << "file not found|key \"image\" must be a string|missing key \"image\"|key "
                                   "\"caption\" must be a string or a list";
    QTest::newRow("paper json integer labels") << "paper-json"
                                               << "paper-json-int" << 2 << 3 << "0,1,2"
                                               << "val2014/x.jpg=2;val2014/y.jpg=0"
                                               << "test=2"
                                               << "key \"label\" must be a class index below 100000, got "
                                                  "900000000000";
    QTest::newRow("csv")
        << "csv"
        << "csv" << 2 << 3 << "dog,cat"
        << "img/a.jpg=dog;img/b.png=cat"
        << "train=1,test=1"
        << "expected 4 fields, found 5|unknown split \"later\"|absolute image path|escapes the dataset root";
    QTest::newRow("tsv") << "csv"
                         << "tsv" << 2 << 2 << ""
                         << "img/a.jpg=-"
                         << "val=2"
                         << "";
}

void TestDatasetFormats::opens()
{
    QFETCH(QString, format);
    QFETCH(QString, layout);
    QFETCH(int, images);
    QFETCH(int, captions);
    QFETCH(QString, classes);
    QFETCH(QString, labels);
    QFETCH(QString, splits);
    QFETCH(QString, skipped);

    test::TempDir dir;
    const fs::path root = dir / "data";
    DatasetSource source;
    source.format = format.toStdString();
    source.root = root;
    source.annotations = makeLayout(layout.toStdString(), root);
    NullProgress progress;
    const Dataset d = openDataset(source, progress);

    std::string report;
    for (const auto &s : d.skipped)
        report += s.where + ": " + s.reason + "\n";
    QVERIFY2(static_cast<int>(d.images.size()) == images,
             (std::to_string(d.images.size()) + " images; skipped:\n" + report).c_str());
    QCOMPARE(static_cast<int>(d.captions.size()), captions);
    QCOMPARE(QString::fromStdString(d.format), format);
    QStringList names;
    for (const auto &c : d.classes)
        names << QString::fromStdString(c);
    QCOMPARE(names.join(','), classes);

    std::map<std::string, int> byPath;
    for (std::size_t i = 0; i < d.images.size(); ++i)
        byPath[d.images[i].path] = static_cast<int>(i);
    for (const QString &pair : labels.split(';', Qt::SkipEmptyParts)) {
        const auto kv = pair.split('=');
        const auto it = byPath.find(kv[0].toStdString());
        QVERIFY2(it != byPath.end(), qPrintable("no image " + kv[0]));
        const int label = d.images[static_cast<std::size_t>(it->second)].label;
        QCOMPARE(label < 0 ? QString("-") : QString::fromStdString(d.classes[static_cast<std::size_t>(label)]), kv[1]);
        QVERIFY(fs::exists(d.imagePath(it->second)));
    }
    std::map<std::string, int> perSplit;
    for (const auto &img : d.images)
        ++perSplit[std::string(splitName(img.split))];
    for (const QString &pair : splits.split(',', Qt::SkipEmptyParts)) {
        const auto kv = pair.split('=');
        QCOMPARE(perSplit[kv[0].toStdString()], kv[1].toInt());
    }
    const QStringList expectedSkips = skipped.split('|', Qt::SkipEmptyParts);
    for (const QString &want : expectedSkips)
        QVERIFY2(report.find(want.toStdString()) != std::string::npos,
                 qPrintable("no skip reason containing '" + want + "' in:\n" + QString::fromStdString(report)));
    if (expectedSkips.isEmpty())
        QVERIFY2(d.skipped.empty(), report.c_str());
    for (const auto &c : d.captions)
        QVERIFY(c.image >= 0 && static_cast<std::size_t>(c.image) < d.images.size());
}

void TestDatasetFormats::unknownFormatListsKnownOnes()
{
    test::TempDir dir;
    DatasetSource source;
    source.format = "no-such-format";
    source.root = dir.path();
    NullProgress progress;
    try {
        openDataset(source, progress);
        QFAIL("no exception");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("no-such-format") != std::string::npos, msg.c_str());
        for (const char *id : {"pascal-sentences", "karpathy", "flickr30k-token", "coco", "paper-json", "csv"})
            QVERIFY2(msg.find(id) != std::string::npos, msg.c_str());
    }
}

void TestDatasetFormats::karpathyCocoLabelsFromInstances()
{
    test::TempDir dir;
    DatasetSource source{"karpathy", dir.path(), makeLayout("karpathy-coco", dir.path()), nlohmann::json::object()};
    NullProgress progress;
    const Dataset d = openDataset(source, progress);
    QCOMPARE(d.images.size(), size_t(2));
    QCOMPARE(d.images[0].path, std::string("val2014/COCO_val2014_100.jpg"));
    QCOMPARE(d.images[0].split, Split::Train); // "restval" counts as train
    QCOMPARE(d.classes[static_cast<std::size_t>(d.images[0].label)], std::string("person"));
    // Image 101 has cat and dog: the label is one of them, the same for the same seed, and
    // both categories are kept.
    QCOMPARE(d.images[1].categories.size(), size_t(2));
    const std::string label = d.classes[static_cast<std::size_t>(d.images[1].label)];
    QVERIFY(label == "cat" || label == "dog");
    const Dataset again = openDataset(source, progress);
    QCOMPARE(again.images[1].label, d.images[1].label);
    // Over many seeds both categories get chosen (a seeded choice, not always the first).
    std::set<int> seen;
    for (int seed = 0; seed < 16; ++seed) {
        source.options["seed"] = seed;
        seen.insert(openDataset(source, progress).images[1].label);
    }
    QCOMPARE(seen.size(), size_t(2));
}

// The CSV reader streams the file through a small buffer (a 2 GB export is never held whole):
// records, quotes ("") and line counts must come out the same wherever the buffer's edges fall.
void TestDatasetFormats::csvRecordsSpanTheReadBuffer()
{
    test::TempDir dir;
    const fs::path root = dir.path();
    writeImage(root / "img/a.jpg");
    writeImage(root / "img/b.jpg");
    std::string huge; // longer than any read buffer, with every kind of byte a quoted field holds
    for (int i = 0; huge.size() < 300000; ++i)
        huge += "part " + std::to_string(i) + ", \"quoted\"\n";
    huge += "end."; // captions are trimmed: end on a letter
    auto quote = [](const std::string &text) {
        std::string q = "\"";
        for (char c : text)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    std::string csv = "\xEF\xBB\xBFimage,caption,label\n";
    const int rows = 4000;
    for (int i = 0; i < rows; ++i) // two lines per row
        csv += std::string(i % 2 ? "img/a.jpg," : "img/b.jpg,") +
               quote("Row " + std::to_string(i) + ", a \"cat\"\nor not") + ",cat\n";
    const long long hugeLine = 2 + 2 * rows;
    csv += "img/a.jpg," + quote(huge) + ",cat\n";
    const long long badLine = hugeLine + static_cast<long long>(std::count(huge.begin(), huge.end(), '\n')) + 1;
    csv += "img/b.jpg,one field too many,cat,extra\n";
    test::writeText(root / "pairs.csv", csv);
    QVERIFY(csv.size() > 400000);

    DatasetSource source{"csv", root, {root / "pairs.csv"}, nlohmann::json::object()};
    NullProgress progress;
    const Dataset d = openDataset(source, progress);
    QCOMPARE(static_cast<int>(d.captions.size()), rows + 1);
    QCOMPARE(d.captions[0].text, std::string("Row 0, a \"cat\"\nor not"));
    QCOMPARE(d.captions[static_cast<std::size_t>(rows - 1)].text,
             "Row " + std::to_string(rows - 1) + ", a \"cat\"\nor not");
    QCOMPARE(d.captions.back().text, huge);
    QCOMPARE(d.skipped.size(), size_t(1));
    QCOMPARE(d.skipped[0].where, "pairs.csv line " + std::to_string(badLine));
}

POISONLAB_TEST_MAIN(TestDatasetFormats)
#include "tst_datasetformats.moc"
