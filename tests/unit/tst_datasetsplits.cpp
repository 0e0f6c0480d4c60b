// The paper's splits: Flickr-PASCAL (25 PASCAL test images per class) and COCO (50 per class,
// smaller classes skipped), seeded, saved and re-applied; merged datasets keep their paths.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/data/SplitPlanner.h"

using namespace poisonlab;
using namespace poisonlab::data;
namespace fs = std::filesystem;

namespace {

// `perClass[c]` labelled images of class c, one caption each.
Dataset synthetic(const std::string &name, const std::vector<int> &perClass, Split split = Split::None)
{
    Dataset d;
    d.name = name;
    d.root = "/data/" + name;
    for (std::size_t c = 0; c < perClass.size(); ++c) {
        d.classes.push_back("class" + std::to_string(c));
        for (int i = 0; i < perClass[c]; ++i) {
            ImageRecord img;
            img.path = "img/" + std::to_string(c) + "_" + std::to_string(i) + ".jpg";
            img.label = static_cast<int>(c);
            img.categories = {static_cast<int>(c)};
            img.split = split;
            d.images.push_back(img);
            d.captions.push_back({static_cast<int>(d.images.size()) - 1, "caption", false, -1});
        }
    }
    return d;
}

Dataset flickr(int n)
{
    Dataset d;
    d.name = "flickr30k";
    d.root = "/data/flickr";
    for (int i = 0; i < n; ++i) {
        ImageRecord img;
        img.path = "flickr30k-images/" + std::to_string(i) + ".jpg";
        img.split = i % 10 == 0 ? Split::Test : (i % 10 == 1 ? Split::Val : Split::Train);
        d.images.push_back(img);
        d.captions.push_back({i, "flickr caption", false, -1});
    }
    return d;
}

std::map<Split, int> counts(const Dataset &d)
{
    std::map<Split, int> out;
    for (const auto &img : d.images)
        ++out[img.split];
    return out;
}

} // namespace

class TestDatasetSplits : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void flickrPascal();
    void cocoPerClass_data();
    void cocoPerClass();
    void seededAndReproducible();
    void saveAndApply();
    void applyRejectsUnknownImages();
    void mergeKeepsPathsAndClasses();
};

void TestDatasetSplits::flickrPascal()
{
    const Dataset pascal = synthetic("pascal", std::vector<int>(20, 50));
    const Dataset merged = SplitPlanner::flickrPascal(flickr(100), pascal, 7);
    QCOMPARE(merged.images.size(), size_t(1100));
    auto c = counts(merged);
    QCOMPARE(c[Split::Test], 500);       // 25 per PASCAL class
    QCOMPARE(c[Split::Train], 80 + 500); // Flickr train + the other 25 per class
    QCOMPARE(c[Split::None], 20);        // Flickr val/test are not used
    std::vector<int> testPerClass(20, 0);
    for (std::size_t i = 100; i < merged.images.size(); ++i) {
        if (merged.images[i].split == Split::Test)
            ++testPerClass[static_cast<std::size_t>(merged.images[i].label)];
        QCOMPARE(merged.images[i].root, std::uint16_t(1));
    }
    for (int n : testPerClass)
        QCOMPARE(n, 25);
    for (std::size_t i = 0; i < 100; ++i)
        QVERIFY(merged.images[i].split != Split::Test); // test images are PASCAL only
}

void TestDatasetSplits::cocoPerClass_data()
{
    QTest::addColumn<QList<int>>("perClass");
    QTest::addColumn<int>("test");
    QTest::newRow("all large") << QList<int>{60, 50, 200} << 150;
    QTest::newRow("small classes skipped") << QList<int>{60, 49, 10, 51} << 100;
    QTest::newRow("none large enough") << QList<int>{3, 4} << 0;
}

void TestDatasetSplits::cocoPerClass()
{
    QFETCH(QList<int>, perClass);
    QFETCH(int, test);
    Dataset d = synthetic("coco", std::vector<int>(perClass.begin(), perClass.end()));
    SplitPlanner::perClassTest(d, 0, 50);
    auto c = counts(d);
    QCOMPARE(c[Split::Test], test);
    QCOMPARE(c[Split::Train], static_cast<int>(d.images.size()) - test);
    std::vector<int> tests(perClass.size(), 0);
    for (const auto &img : d.images)
        tests[static_cast<std::size_t>(img.label)] += img.split == Split::Test;
    for (int k = 0; k < perClass.size(); ++k)
        QCOMPARE(tests[static_cast<std::size_t>(k)], perClass[k] >= 50 ? 50 : 0);
}

void TestDatasetSplits::seededAndReproducible()
{
    auto testSet = [](std::uint64_t seed) {
        Dataset d = synthetic("coco", {120, 120});
        SplitPlanner::perClassTest(d, seed, 50);
        std::vector<std::string> out;
        for (const auto &img : d.images)
            if (img.split == Split::Test)
                out.push_back(img.path);
        return out;
    };
    QCOMPARE(testSet(3), testSet(3));
    QVERIFY(testSet(3) != testSet(4));
    // Input order does not matter: the draw is over images sorted by path.
    Dataset d = synthetic("coco", {120, 120});
    std::reverse(d.images.begin(), d.images.end());
    SplitPlanner::perClassTest(d, 3, 50);
    std::vector<std::string> reversed;
    for (const auto &img : d.images)
        if (img.split == Split::Test)
            reversed.push_back(img.path);
    std::sort(reversed.begin(), reversed.end());
    auto forward = testSet(3);
    std::sort(forward.begin(), forward.end());
    QCOMPARE(reversed, forward);
}

void TestDatasetSplits::saveAndApply()
{
    const Dataset pascal = synthetic("pascal", std::vector<int>(3, 50));
    Dataset merged = SplitPlanner::flickrPascal(flickr(30), pascal, 11);
    const nlohmann::json saved = SplitPlanner::saveSplits(merged, "flickr-pascal", 11);
    test::TempDir dir;
    writeJsonAtomically(dir / "splits.json", saved);

    Dataset reloaded = mergeDatasets(flickr(30), pascal); // fresh, splits as the sources had them
    SplitPlanner::applySplits(reloaded, readJsonFile(dir / "splits.json"));
    for (std::size_t i = 0; i < merged.images.size(); ++i)
        QCOMPARE(reloaded.images[i].split, merged.images[i].split);
    QCOMPARE(saved["method"].get<std::string>(), std::string("flickr-pascal"));
}

void TestDatasetSplits::applyRejectsUnknownImages()
{
    Dataset d = synthetic("coco", {5});
    nlohmann::json saved = {{"splits", {{"train", {"0:img/nope.jpg"}}}}};
    QVERIFY_THROWS_EXCEPTION(Error, SplitPlanner::applySplits(d, saved));
    QVERIFY_THROWS_EXCEPTION(Error, SplitPlanner::applySplits(d, nlohmann::json::array()));
}

void TestDatasetSplits::mergeKeepsPathsAndClasses()
{
    Dataset a = synthetic("a", {1, 1});        // class0, class1
    Dataset b = synthetic("b", {0, 2, 1});     // class0, class1, class2
    b.classes = {"class1", "zebra", "class0"}; // names differ in order
    const Dataset m = mergeDatasets(a, b);
    QCOMPARE(m.classes.size(), size_t(3));
    QCOMPARE(m.images.size(), size_t(5));
    QCOMPARE(m.captions.size(), size_t(5));
    QCOMPARE(m.imagePath(0), fs::path("/data/a/img/0_0.jpg"));
    QCOMPARE(m.imagePath(2), fs::path("/data/b/img/1_0.jpg"));
    QCOMPARE(m.classes[static_cast<std::size_t>(m.images[2].label)], std::string("zebra"));
    QCOMPARE(m.classes[static_cast<std::size_t>(m.images[4].label)], std::string("class0"));
    QCOMPARE(m.captions[4].image, 4);
}

POISONLAB_TEST_MAIN(TestDatasetSplits)
#include "tst_datasetsplits.moc"
