// The offline demo datasets: deterministic, balanced, captions that state what was drawn, real
// PASCAL-sentences / COCO / CSV layouts, cancellation, and the CLI's answers to bad input.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/Rng.h"
#include "poisonlab/core/demo/BackgroundPainter.h"
#include "poisonlab/core/demo/CaptionGrammar.h"
#include "poisonlab/core/demo/DemoDataGenerator.h"
#include "poisonlab/core/demo/EmojiCatalog.h"
#include "poisonlab/core/demo/EmojiFont.h"
#include "poisonlab/core/demo/NamedColour.h"
#include "poisonlab/core/demo/SceneComposer.h"

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <QRegularExpression>

#include <map>
#include <set>

using namespace poisonlab;
using namespace poisonlab::demo;
namespace fs = std::filesystem;

namespace {

#define REQUIRE_EMOJI_FONT()                                                                                           \
    do {                                                                                                               \
        if (EmojiFont::defaultPath().empty()) {                                                                        \
            if (test::runningInCi())                                                                                   \
                QFAIL("Noto Color Emoji is not installed (fonts-noto-color-emoji) and CI=true");                       \
            QSKIP("Noto Color Emoji is not installed; demo-data test skipped");                                        \
        }                                                                                                              \
    } while (0)

DemoDataSummary generate(DemoKind kind, const fs::path &out, std::uint64_t seed, int images)
{
    DemoDataOptions o;
    o.kind = kind;
    o.out = out;
    o.seed = seed;
    o.images = images;
    NullProgress progress;
    return DemoDataGenerator(o).run(progress);
}

/// Every regular file under `root`, relative path -> bytes.
std::map<std::string, std::string> filesUnder(const fs::path &root)
{
    std::map<std::string, std::string> out;
    for (const auto &e : fs::recursive_directory_iterator(root))
        if (e.is_regular_file())
            out[fs::relative(e.path(), root).string()] = readFile(e.path());
    return out;
}

QString quoted(const std::string &s)
{
    return QRegularExpression::escape(QString::fromStdString(s));
}

int countValue(const QString &word)
{
    static const std::map<QString, int> words{{"a", 1},     {"an", 1},   {"one", 1},  {"two", 2},
                                              {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}};
    return words.at(word.toLower());
}

/// Checks every "<count> [size] <noun>" phrase of `caption` against the scene's facts.
void checkCountsAndSizes(const std::string &caption, const SceneFacts &facts, const std::vector<EmojiClass> &classes)
{
    for (int c : facts.classesInOrder()) {
        const EmojiClass &cls = classes[c];
        const QRegularExpression re("\\b(a|an|one|two|three|four|five|six)\\s+(?:(small|large)\\s+)?(?:" +
                                        quoted(cls.singular) + "|" + quoted(cls.plural) + ")\\b",
                                    QRegularExpression::CaseInsensitiveOption);
        auto it = re.globalMatch(QString::fromStdString(caption));
        while (it.hasNext()) {
            const auto m = it.next();
            const std::string msg = caption + " | class " + cls.name;
            QVERIFY2(countValue(m.captured(1)) == facts.countOf(c), msg.c_str());
            if (!m.captured(2).isEmpty())
                for (const ObjectFacts &o : facts.objects)
                    if (o.classIndex == c)
                        QVERIFY2(o.size == m.captured(2).toStdString(), msg.c_str());
        }
    }
}

/// Nearest palette names of the background pixels far from every object box.
std::map<std::string, int> backgroundColours(const cv::Mat &image, const SceneFacts &facts, const cv::Rect &region)
{
    cv::Mat covered(image.size(), CV_8U, cv::Scalar(0));
    for (const ObjectFacts &o : facts.objects)
        covered(cv::Rect(o.x - 4, o.y - 4, o.w + 8, o.h + 8) & cv::Rect(0, 0, image.cols, image.rows)).setTo(255);
    std::map<std::string, int> votes;
    for (int y = region.y; y < region.y + region.height; y += 2)
        for (int x = region.x; x < region.x + region.width; x += 2)
            if (!covered.at<uchar>(y, x))
                ++votes[NamedColour::nearest(image.at<cv::Vec3b>(y, x)).name];
    return votes;
}

std::string majority(const std::map<std::string, int> &votes)
{
    std::string best;
    int most = 0;
    for (const auto &[name, n] : votes)
        if (n > most) {
            most = n;
            best = name;
        }
    return best;
}

} // namespace

class TestDemoData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void catalogHasEveryVariant();
    void deterministic_data();
    void deterministic();
    void pascalLayoutAndBalance();
    void captionsStateWhatWasDrawn();
    void backgroundsFollowHabitats();
    void cocoFilesAreValidCoco();
    void webPoolIsBalancedCsv();
    void cancelLeavesNoCompleteMarker();
    void upToDateNeedsTheSameRequestAndVersion();
    void refusesForeignFolder();
    void cliRejectsBadInput_data();
    void cliRejectsBadInput();
    void cliWritesSummary();
};

void TestDemoData::catalogHasEveryVariant()
{
    REQUIRE_EMOJI_FONT();
    const auto &pascal = EmojiCatalog::pascal();
    const std::vector<std::string> voc{
        "aeroplane",   "bicycle", "bird",  "boat",      "bottle", "bus",         "car",   "cat",  "chair", "cow",
        "diningtable", "dog",     "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor"};
    QCOMPARE(int(pascal.size()), 20);
    for (size_t i = 0; i < voc.size(); ++i)
        QCOMPARE(pascal[i].name, voc[i]);
    EmojiFont font;
    const auto available = EmojiCatalog::availableIn(pascal, font);
    QCOMPARE(int(available.size()), 20); // the font covers every PASCAL class
    auto variants = [&](const std::string &name) {
        std::set<char32_t> out;
        for (const auto &c : available)
            if (c.name == name)
                for (const auto &v : c.variants)
                    out.insert(v.codepoint);
        return out;
    };
    QVERIFY(variants("sheep") == (std::set<char32_t>{0x1F411, 0x1F40F})); // ewe and ram
    QVERIFY(variants("boat").size() >= 6);
    QVERIFY(variants("aeroplane").count(0x2708));

    const auto coco = EmojiCatalog::availableIn(EmojiCatalog::coco(), font);
    QVERIFY(coco.size() >= 50);
    std::set<int> ids;
    std::map<std::string, int> byName;
    for (const auto &c : coco) {
        QVERIFY(ids.insert(c.cocoId).second);
        byName[c.name] = c.cocoId;
        QVERIFY(!c.supercategory.empty());
    }
    QCOMPARE(byName["person"], 1);
    QCOMPARE(byName["stop sign"], 13);
    QCOMPARE(byName["dining table"], 67);
    QCOMPARE(byName["toothbrush"], 90);
}

void TestDemoData::deterministic_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("images");
    QTest::newRow("pascal") << int(DemoKind::Pascal) << 2;
    QTest::newRow("coco") << int(DemoKind::Coco) << 30;
    QTest::newRow("web") << int(DemoKind::Web) << 40;
}

void TestDemoData::deterministic()
{
    REQUIRE_EMOJI_FONT();
    QFETCH(int, kind);
    QFETCH(int, images);
    test::TempDir dir;
    generate(DemoKind(kind), dir / "a", 7, images);
    generate(DemoKind(kind), dir / "b", 7, images);
    generate(DemoKind(kind), dir / "c", 8, images);
    const auto a = filesUnder(dir / "a"), b = filesUnder(dir / "b"), c = filesUnder(dir / "c");
    QVERIFY(a.size() > 5);
    QVERIFY(a == b); // annotation files and images byte for byte
    QVERIFY(a.count("demo-manifest.json") && a.count(".complete"));
    QVERIFY(a.at("demo-manifest.json") != c.at("demo-manifest.json"));
    int differentImages = 0;
    for (const auto &[path, bytes] : a)
        if (c.count(path) && c.at(path) != bytes)
            ++differentImages;
    QVERIFY(differentImages > images / 2);
}

void TestDemoData::pascalLayoutAndBalance()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    const auto summary = generate(DemoKind::Pascal, dir.path(), 3, 3);
    QCOMPARE(summary.images, 60);
    QVERIFY(fs::exists(dir / ".complete"));
    QVERIFY(!fs::exists(dir / ".demo-in-progress"));
    int classDirs = 0;
    for (const auto &cls : EmojiCatalog::pascal()) {
        const fs::path images = dir / "dataset" / cls.name, sentences = dir / "sentence" / cls.name;
        QVERIFY2(fs::is_directory(images), images.c_str());
        ++classDirs;
        int n = 0;
        for (const auto &e : fs::directory_iterator(images)) {
            ++n;
            QCOMPARE(e.path().extension().string(), std::string(".png"));
            const cv::Mat img = cv::imread(e.path().string());
            QCOMPARE(img.cols, 128);
            QCOMPARE(img.rows, 128);
            const fs::path txt = sentences / (e.path().stem().string() + ".txt");
            const std::string text = readFile(txt);
            std::set<std::string> lines;
            size_t start = 0;
            for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
                lines.insert(text.substr(start, nl - start));
            QCOMPARE(int(lines.size()), 5); // five different captions
            QVERIFY(!lines.count(""));
        }
        QCOMPARE(n, 3); // balanced: the same number per class
    }
    QCOMPARE(classDirs, 20);
    const auto manifest = readJsonFile(dir / "demo-manifest.json");
    QCOMPARE(manifest["kind"].get<std::string>(), std::string("pascal"));
    QCOMPARE(manifest["seed"].get<int>(), 3);
    QCOMPARE(manifest["counts"]["images"].get<int>(), 60);
    QCOMPARE(int(manifest["images"].size()), 60);
    for (const auto &[cls, n] : manifest["counts"]["imagesPerClass"].items())
        QCOMPARE(n.get<int>(), 3);
}

void TestDemoData::captionsStateWhatWasDrawn()
{
    REQUIRE_EMOJI_FONT();
    EmojiFont font;
    const auto classes = EmojiCatalog::availableIn(EmojiCatalog::pascal(), font);
    const SceneComposer composer(font, classes);
    const CaptionGrammar grammar(classes);
    const QRegularExpression colourWord("\\b(red|orange|yellow|green|blue|purple|pink|brown|white|grey|black)\\b");
    int flatChecked = 0, gradientChecked = 0, positionsChecked = 0, multiCounts = 0;
    for (int i = 0; i < 800; ++i) { // 800: flat backgrounds are 18 % of scenes since the habitats
        Rng rng = Rng::derive(99, i);
        const Scene scene = composer.composeSingleClass(i % int(classes.size()), rng);
        const SceneFacts &f = scene.facts;
        const std::vector<std::string> captions = grammar.captions(f, rng, 5);
        QCOMPARE(int(captions.size()), 5);
        QCOMPARE(int(std::set<std::string>(captions.begin(), captions.end()).size()), 5);
        const int count = f.countOf(f.label);
        QVERIFY(count >= 1);
        multiCounts += count > 1;
        const cv::Rect all(0, 0, f.width, f.height);
        std::string rendered; // the flat colour actually on the canvas
        if (f.background.kind == "flat") {
            rendered = majority(backgroundColours(scene.image, f, all));
            QCOMPARE(rendered, f.background.name);
            ++flatChecked;
        } else if (f.background.kind == "gradient") {
            const bool vertical = f.background.direction == "vertical";
            const cv::Rect first = vertical ? cv::Rect(0, 0, f.width, 2) : cv::Rect(0, 0, 2, f.height);
            const cv::Rect last =
                vertical ? cv::Rect(0, f.height - 2, f.width, 2) : cv::Rect(f.width - 2, 0, 2, f.height);
            const auto a = backgroundColours(scene.image, f, first), b = backgroundColours(scene.image, f, last);
            if (!a.empty() && !b.empty()) {
                QCOMPARE(majority(a), f.background.colours[0]);
                QCOMPARE(majority(b), f.background.colours[1]);
                ++gradientChecked;
            }
        }
        for (const std::string &caption : captions) {
            const std::string msg = caption + " | background " + f.background.name;
            const QString text = QString::fromStdString(caption);
            // It names the image's class.
            QVERIFY2(text.contains(QString::fromStdString(classes[f.label].singular), Qt::CaseInsensitive) ||
                         text.contains(QString::fromStdString(classes[f.label].plural), Qt::CaseInsensitive),
                     msg.c_str());
            // Every colour it names is a colour of the background that was painted.
            auto it = colourWord.globalMatch(text);
            while (it.hasNext()) {
                const std::string colour = it.next().captured(1).toStdString();
                const auto &cs = f.background.colours;
                QVERIFY2(std::find(cs.begin(), cs.end(), colour) != cs.end(), msg.c_str());
                if (f.background.kind == "flat")
                    QVERIFY2(colour == rendered, msg.c_str());
            }
            checkCountsAndSizes(caption, f, classes);
            // A position word describes where the single main object's box centre is.
            QString rest = text;
            rest.remove(QRegularExpression("to the (left|right) of|from (top to bottom|left to right)"));
            for (const char *word : {"left", "right", "top", "bottom", "centre", "middle"}) {
                if (!rest.contains(QRegularExpression(QString("\\b") + word + "\\b")))
                    continue;
                QCOMPARE(count, 1);
                const ObjectFacts *main = nullptr;
                for (const ObjectFacts &o : f.objects)
                    if (o.classIndex == f.label)
                        main = &o;
                const std::string expected =
                    SceneComposer::positionName(main->x + main->w / 2.0, main->y + main->h / 2.0, f.width, f.height);
                QCOMPARE(main->position, expected);
                const std::string w = word == std::string("middle") ? "centre" : word;
                QVERIFY2(expected.find(w) != std::string::npos, (msg + " | drawn at " + expected).c_str());
                ++positionsChecked;
            }
        }
        for (const ObjectFacts &o : f.objects) {
            QVERIFY(o.x >= 0 && o.y >= 0 && o.w > 0 && o.h > 0);
            QVERIFY(o.x + o.w <= f.width && o.y + o.h <= f.height);
        }
    }
    QVERIFY(flatChecked > 100);
    QVERIFY(gradientChecked > 20);
    QVERIFY(positionsChecked > 50);
    QVERIFY(multiCounts > 100);
}

void TestDemoData::backgroundsFollowHabitats()
{
    REQUIRE_EMOJI_FONT();
    const auto &scenes = BackgroundPainter::sceneNames();
    for (const auto *list : {&EmojiCatalog::pascal(), &EmojiCatalog::coco()})
        for (const EmojiClass &c : *list) {
            QVERIFY2(!c.habitats.empty(), c.name.c_str());
            for (const std::string &h : c.habitats)
                QVERIFY2(std::find(scenes.begin(), scenes.end(), h) != scenes.end(), (c.name + ": " + h).c_str());
        }
    EmojiFont font;
    const auto classes = EmojiCatalog::availableIn(EmojiCatalog::pascal(), font);
    const int sheep =
        int(std::find_if(classes.begin(), classes.end(), [](auto &c) { return c.name == "sheep"; }) - classes.begin());
    // The share of sheep scenes drawn on grass, with the default habitat chance and
    // with none (then only the scenes' share of random backgrounds, 1 of 12 scenes).
    auto inHabitat = [&](double chance) {
        SceneOptions o;
        o.width = o.height = 32;
        o.habitatChance = chance;
        const SceneComposer composer(font, classes, o);
        int hits = 0;
        for (int i = 0; i < 600; ++i) {
            Rng rng = Rng::derive(5, i);
            const std::string bg = composer.composeSingleClass(sheep, rng).facts.background.name;
            hits += bg == "grass";
        }
        return hits / 600.0;
    };
    const double usual = inHabitat(SceneOptions{}.habitatChance), none = inHabitat(0.0);
    QVERIFY2(usual > 0.6 && usual < 0.8, std::to_string(usual).c_str());
    QVERIFY2(none < 0.12, std::to_string(none).c_str());
}

void TestDemoData::cocoFilesAreValidCoco()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    const auto summary = generate(DemoKind::Coco, dir.path(), 5, 40);
    QCOMPARE(summary.images, 40);
    std::set<long long> imageIds, annotationIds, captionIds;
    int images = 0, annotations = 0;
    for (const std::string split : {"train2017", "val2017"}) {
        const auto inst = readJsonFile(dir / "annotations" / ("instances_" + split + ".json"));
        const auto caps = readJsonFile(dir / "annotations" / ("captions_" + split + ".json"));
        for (const char *key : {"info", "licenses", "images", "annotations", "categories"})
            QVERIFY2(inst.contains(key), key);
        QCOMPARE(caps["images"], inst["images"]);
        std::map<long long, std::pair<int, int>> sizes;
        for (const auto &img : inst["images"]) {
            const long long id = img["id"];
            QVERIFY(imageIds.insert(id).second);
            sizes[id] = {img["width"], img["height"]};
            QVERIFY(fs::is_regular_file(dir / split / img["file_name"].get<std::string>()));
            ++images;
        }
        std::set<int> categories;
        for (const auto &c : inst["categories"]) {
            QVERIFY(categories.insert(c["id"].get<int>()).second);
            QVERIFY(c.contains("name") && c.contains("supercategory"));
        }
        QVERIFY(categories.size() >= 50);
        for (const auto &a : inst["annotations"]) {
            QVERIFY(annotationIds.insert(a["id"].get<long long>()).second);
            QVERIFY(sizes.count(a["image_id"]));
            QVERIFY(categories.count(a["category_id"]));
            const auto [W, H] = sizes[a["image_id"]];
            const double x = a["bbox"][0], y = a["bbox"][1], w = a["bbox"][2], h = a["bbox"][3];
            QVERIFY(x >= 0 && y >= 0 && w > 0 && h > 0 && x + w <= W && y + h <= H);
            QCOMPARE(a["area"].get<double>(), w * h);
            QCOMPARE(a["iscrowd"].get<int>(), 0);
            QCOMPARE(int(a["segmentation"][0].size()), 8);
            ++annotations;
        }
        std::map<long long, int> perImage;
        for (const auto &c : caps["annotations"]) {
            QVERIFY(captionIds.insert(c["id"].get<long long>()).second);
            QVERIFY(sizes.count(c["image_id"]));
            QVERIFY(!c["caption"].get<std::string>().empty());
            ++perImage[c["image_id"]];
        }
        for (const auto &[id, n] : perImage)
            QCOMPARE(n, 5);
        QCOMPARE(perImage.size(), sizes.size());
    }
    QCOMPARE(images, 40);
    QCOMPARE(annotations, summary.objects);
    QVERIFY(annotations > images); // multi-object scenes
}

void TestDemoData::webPoolIsBalancedCsv()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    EmojiFont font;
    const int K = int(EmojiCatalog::availableIn(EmojiCatalog::coco(), font).size());
    generate(DemoKind::Web, dir.path(), 2, 2 * K);
    const std::string csv = readFile(dir / "captions.csv");
    QVERIFY(csv.rfind("image,caption,label,split\n", 0) == 0);
    std::map<std::string, int> perLabel;
    int rows = 0;
    size_t start = csv.find('\n') + 1;
    for (size_t nl; (nl = csv.find('\n', start)) != std::string::npos; start = nl + 1) {
        const std::string line = csv.substr(start, nl - start);
        const std::string image = line.substr(0, line.find(','));
        QVERIFY2(fs::is_regular_file(dir / image), image.c_str());
        const size_t splitAt = line.rfind(','), labelAt = line.rfind(',', splitAt - 1);
        ++perLabel[line.substr(labelAt + 1, splitAt - labelAt - 1)];
        const std::string split = line.substr(splitAt + 1);
        QVERIFY(split == "train" || split == "val");
        ++rows;
    }
    QCOMPARE(rows, 2 * K);
    QCOMPARE(int(perLabel.size()), K);
    for (const auto &[label, n] : perLabel)
        QCOMPARE(n, 2);
}

void TestDemoData::cancelLeavesNoCompleteMarker()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    DemoDataOptions o;
    o.kind = DemoKind::Web;
    o.out = dir.path();
    o.images = 400;
    int reports = 0;
    CallbackProgress *self = nullptr;
    CallbackProgress progress([&](const ProgressEvent &e) {
        if (e.stage == "demo-data" && ++reports == 3)
            self->cancel();
    });
    self = &progress;
    QVERIFY_THROWS_EXCEPTION(CancelledError, DemoDataGenerator(o).run(progress));
    QCOMPARE(reports, 3);
    QVERIFY(!fs::exists(dir / ".complete"));
    QVERIFY(!fs::exists(dir / "demo-manifest.json"));
    // The interrupted folder is recognised as demo data and regenerated.
    o.images = 10;
    NullProgress none;
    QCOMPARE(DemoDataGenerator(o).run(none).images, 10);
    QVERIFY(fs::exists(dir / ".complete"));
    int left = 0;
    for (const auto &e : fs::directory_iterator(dir / "images")) {
        (void)e;
        ++left;
    }
    QCOMPARE(left, 10); // nothing stale from the cancelled run
}

void TestDemoData::upToDateNeedsTheSameRequestAndVersion()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    DemoDataOptions o;
    o.kind = DemoKind::Web;
    o.out = dir / "web";
    o.seed = 3;
    o.images = 5;
    QVERIFY(!DemoDataGenerator::isUpToDate(o)); // nothing there yet
    NullProgress progress;
    DemoDataGenerator(o).run(progress);
    QVERIFY(DemoDataGenerator::isUpToDate(o));
    DemoDataOptions other = o;
    other.seed = 4;
    QVERIFY(!DemoDataGenerator::isUpToDate(other));
    other = o;
    other.kind = DemoKind::Coco;
    QVERIFY(!DemoDataGenerator::isUpToDate(other));
    // Another image count, size or format is another dataset (the demo pre-trains on 8,000).
    other = o;
    other.images = 6;
    QVERIFY(!DemoDataGenerator::isUpToDate(other));
    other = o;
    other.imageSize = 64;
    QVERIFY(!DemoDataGenerator::isUpToDate(other));
    other = o;
    other.imageFormat = "jpg";
    QVERIFY(!DemoDataGenerator::isUpToDate(other));
    // Data an older generator wrote is outdated.
    const std::string marker = readFile(o.out / ".complete");
    const std::string current = "generator " + std::to_string(DemoDataGenerator::kGeneratorVersion);
    QVERIFY(marker.find(current) != std::string::npos);
    writeFileAtomically(o.out / ".complete", marker.substr(0, marker.find(current)) + "generator 1\n");
    QVERIFY(!DemoDataGenerator::isUpToDate(o));
}

void TestDemoData::refusesForeignFolder()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    test::writeText(dir / "thesis.tex", "precious");
    try {
        generate(DemoKind::Pascal, dir.path(), 1, 1);
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("not empty") != std::string::npos, e.what());
    }
    QCOMPARE(readFile(dir / "thesis.tex"), std::string("precious"));
    QVERIFY(!fs::exists(dir / "dataset"));
}

void TestDemoData::cliRejectsBadInput_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown kind") << "--kind flickr"
                                  << "unknown kind 'flickr'";
    QTest::newRow("negative size") << "--images -5"
                                   << "--images must be a positive number, got -5";
    QTest::newRow("zero size") << "--images 0"
                               << "--images must be a positive number, got 0";
    QTest::newRow("tiny images") << "--size 8"
                                 << "image size must be between";
    QTest::newRow("unknown format") << "--format gif"
                                    << "unknown image format 'gif'";
    QTest::newRow("unwritable folder") << "@FILE@/sub"
                                       << "cannot create the output folder";
    QTest::newRow("not a number") << "--images many"
                                  << "--images";
}

void TestDemoData::cliRejectsBadInput()
{
    QFETCH(QString, args);
    QFETCH(QString, message);
    test::TempDir dir;
    test::writeText(dir / "file", "x");
    std::string out = (dir / "out").string();
    std::string extra = args.toStdString();
    if (extra.rfind("@FILE@", 0) == 0) { // a folder below a plain file can never be created
        out = (dir / "file").string() + extra.substr(6);
        extra.clear();
    }
    std::string output;
    const int rc =
        test::runCommand(test::binary("poisonlab-cli").string() + " demo-data --out '" + out + "' " + extra, &output);
    QVERIFY2(rc == 2, output.c_str());
    QVERIFY2(output.find(message.toStdString()) != std::string::npos, output.c_str());
    QVERIFY(!fs::exists(dir / "out" / ".complete"));
}

void TestDemoData::cliWritesSummary()
{
    REQUIRE_EMOJI_FONT();
    test::TempDir dir;
    std::string output;
    const std::string out = (dir / "coco").string();
    const int rc = test::runCommand(test::binary("poisonlab-cli").string() +
                                        " demo-data --kind coco --images 12 --seed 4 --out '" + out + "'",
                                    &output);
    QVERIFY2(rc == 0, output.c_str());
    QVERIFY2(output.find("\"images\":12") != std::string::npos, output.c_str());
    QVERIFY2(output.find("wrote 12 images") != std::string::npos, output.c_str());
    QVERIFY(fs::exists(dir / "coco/.complete"));
    QVERIFY(fs::exists(dir / "coco/annotations/instances_val2017.json"));
    // Missing --out is a usage error.
    QCOMPARE(test::runCommand(test::binary("poisonlab-cli").string() + " demo-data --kind web", &output), 2);
}

POISONLAB_TEST_MAIN(TestDemoData)
#include "tst_demodata.moc"
