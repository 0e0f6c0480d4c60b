// The four attack plugins on small datasets built here: exact counts per rate, determinism,
// B's images reused in turn, several goals, the similarity-aware choice with fake embeddings,
// the paper-JSON export, and clear errors for bad input.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PaperJsonExport.h"
#include "poisonlab/core/plugin/AttackPlugin.h"
#include "poisonlab/core/plugin/PluginRegistry.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

using namespace poisonlab;
using namespace poisonlab::attack;
using nlohmann::json;

namespace {

/// sheep: 10 train images x 2 captions; aeroplane: 3 train + 2 test images x 1 caption;
/// dog: 2 train images x 1 caption; "unicorn": no images.
data::Dataset smallDataset()
{
    data::Dataset d;
    d.name = "small";
    d.root = "/nonexistent";
    d.classes = {"sheep", "aeroplane", "dog", "unicorn"};
    auto add = [&](const std::string &name, int label, data::Split split, int captions) {
        data::ImageRecord img;
        img.path = name + ".png";
        img.sourceId = name;
        img.label = label;
        img.categories = {label};
        img.split = split;
        d.images.push_back(img);
        for (int c = 0; c < captions; ++c)
            d.captions.push_back(
                {static_cast<int>(d.images.size()) - 1, "a photo of " + name + " #" + std::to_string(c)});
    };
    for (int i = 0; i < 10; ++i)
        add("sheep" + std::to_string(i), 0, data::Split::Train, 2);
    for (int i = 0; i < 3; ++i)
        add("plane" + std::to_string(i), 1, data::Split::Train, 1);
    for (int i = 0; i < 2; ++i)
        add("plane-test" + std::to_string(i), 1, data::Split::Test, 1);
    for (int i = 0; i < 2; ++i)
        add("dog" + std::to_string(i), 2, data::Split::Train, 1);
    return d;
}

std::shared_ptr<AttackPlugin> attackPlugin(const std::string &id)
{
    std::string error;
    auto plugin = plugin::PluginRegistry::instance().create<AttackPlugin>(id, &error);
    if (!plugin)
        qWarning("%s", error.c_str());
    return plugin;
}

json sheepToPlane(double rate, const std::string &unit = "caption", int seed = 7)
{
    return {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", rate}, {"unit", unit}, {"seed", seed}};
}

} // namespace

class TestAttackPlugins : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pluginsAreRegistered();
    void exactCountsPerRate_data();
    void exactCountsPerRate();
    void deterministicForSeed();
    void reusesTargetImagesInTurn();
    void singleTargetImage();
    void multipleGoals();
    void similarityAwarePicksClosest();
    void paperJsonExport();
    void manifestRoundTrip();
    void badInput_data();
    void badInput();
};

void TestAttackPlugins::pluginsAreRegistered()
{
    for (const char *id : {"attack-single-target-image", "attack-single-target-label", "attack-multi-target-label",
                           "attack-similarity-aware"}) {
        const auto *meta = plugin::PluginRegistry::instance().find(id);
        QVERIFY2(meta, id);
        QCOMPARE(meta->kind, std::string("attack"));
        QVERIFY(!meta->parameters.empty());
        QVERIFY2(attackPlugin(id), id);
    }
}

void TestAttackPlugins::exactCountsPerRate_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<QString>("unit");
    QTest::addColumn<int>("units");
    QTest::addColumn<int>("pairs");
    QTest::newRow("10% of 20 captions") << 0.1 << "caption" << 2 << 2;
    QTest::newRow("25% of 20 captions") << 0.25 << "caption" << 5 << 5;
    QTest::newRow("12.5% rounds half to even") << 0.125 << "caption" << 2 << 2;
    QTest::newRow("all captions") << 1.0 << "caption" << 20 << 20;
    QTest::newRow("30% of 10 images, 2 captions each") << 0.3 << "image" << 3 << 6;
    QTest::newRow("25% of 10 images rounds half to even") << 0.25 << "image" << 2 << 4;
}

void TestAttackPlugins::exactCountsPerRate()
{
    QFETCH(double, rate);
    QFETCH(QString, unit);
    QFETCH(int, units);
    QFETCH(int, pairs);
    auto attack = attackPlugin("attack-single-target-label");
    QVERIFY(attack);
    const data::Dataset clean = smallDataset();
    const AttackResult r = attack->poison(clean, sheepToPlane(rate, unit.toStdString()), {});
    QCOMPARE(r.manifest.goals.size(), size_t(1));
    QCOMPARE(r.manifest.goals[0].poisonedUnits, (long long)units);
    QCOMPARE(r.manifest.poisonedPairs, (long long)pairs);
    QCOMPARE(r.manifest.pairs.size(), size_t(pairs));
    QCOMPARE(r.manifest.trainingPairs, 25LL); // 20 sheep + 3 aeroplane + 2 dog train captions
    QCOMPARE(r.manifest.phi(), double(pairs) / 25.0);
    // The dataset copy changed exactly the pairs listed, each to a class-B training image.
    int poisoned = 0;
    for (size_t c = 0; c < r.dataset.captions.size(); ++c) {
        const auto &cap = r.dataset.captions[c];
        if (!cap.poisoned) {
            QCOMPARE(cap.image, clean.captions[c].image);
            continue;
        }
        ++poisoned;
        QCOMPARE(cap.originalImage, clean.captions[c].image);
        QCOMPARE(clean.images[cap.originalImage].label, 0);
        QCOMPARE(r.dataset.images[cap.image].label, 1);
        QCOMPARE(r.dataset.images[cap.image].split, data::Split::Train);
    }
    QCOMPARE(poisoned, pairs);
    for (const auto &p : r.manifest.pairs) {
        QCOMPARE(r.dataset.captions[p.caption].image, p.newImage);
        QCOMPARE(p.originalImage, clean.captions[p.caption].image);
        QCOMPARE(p.sourceClass, std::string("sheep"));
        QCOMPARE(p.targetClass, std::string("aeroplane"));
    }
    if (unit == "image") { // both captions of a poisoned image share its new image
        std::map<int, std::set<int>> newByOriginal;
        for (const auto &p : r.manifest.pairs)
            newByOriginal[p.originalImage].insert(p.newImage);
        QCOMPARE(newByOriginal.size(), size_t(units));
        for (const auto &[orig, news] : newByOriginal)
            QCOMPARE(news.size(), size_t(1));
    }
}

void TestAttackPlugins::deterministicForSeed()
{
    auto attack = attackPlugin("attack-single-target-label");
    QVERIFY(attack);
    const data::Dataset clean = smallDataset();
    const json a = attack->poison(clean, sheepToPlane(0.3, "caption", 1), {}).manifest.toJson();
    const json b = attack->poison(clean, sheepToPlane(0.3, "caption", 1), {}).manifest.toJson();
    QCOMPARE(a.dump(), b.dump());
    bool differs = false; // some other seed picks other captions
    for (int seed = 2; seed < 6 && !differs; ++seed)
        differs =
            attack->poison(clean, sheepToPlane(0.3, "caption", seed), {}).manifest.toJson()["pairs"] != a["pairs"];
    QVERIFY(differs);
}

void TestAttackPlugins::reusesTargetImagesInTurn()
{
    auto attack = attackPlugin("attack-single-target-label");
    QVERIFY(attack);
    // 20 captions onto 3 aeroplane training images: each used 6 times, two of them a 7th time.
    const AttackResult r = attack->poison(smallDataset(), sheepToPlane(1.0), {});
    std::map<int, int> uses;
    for (const auto &p : r.manifest.pairs)
        ++uses[p.newImage];
    QCOMPARE(uses.size(), size_t(3));
    std::multiset<int> counts;
    for (const auto &[img, n] : uses)
        counts.insert(n);
    QCOMPARE(counts, (std::multiset<int>{6, 7, 7}));
    QCOMPARE(r.manifest.goals[0].targetImagesUsed, 3LL);
    // Fewer captions than images: each image at most once.
    const AttackResult few = attack->poison(smallDataset(), sheepToPlane(0.1), {});
    QCOMPARE(few.manifest.pairs.size(), size_t(2));
    QVERIFY(few.manifest.pairs[0].newImage != few.manifest.pairs[1].newImage);
}

void TestAttackPlugins::singleTargetImage()
{
    auto attack = attackPlugin("attack-single-target-image");
    QVERIFY(attack);
    const data::Dataset clean = smallDataset();
    json opts = sheepToPlane(0.5);
    // Drawn at random: one image, from class B's test images (the paper's test-centre image).
    AttackResult r = attack->poison(clean, opts, {});
    std::set<int> used;
    for (const auto &p : r.manifest.pairs)
        used.insert(p.newImage);
    QCOMPARE(used.size(), size_t(1));
    QCOMPARE(clean.images[*used.begin()].split, data::Split::Test);
    QCOMPARE(r.manifest.options["target_image"].get<std::string>(), clean.images[*used.begin()].path);
    // Given by path.
    opts["target_image"] = "plane1.png";
    r = attack->poison(clean, opts, {});
    QCOMPARE(r.manifest.pairs.size(), size_t(10));
    for (const auto &p : r.manifest.pairs)
        QCOMPARE(p.newPath, std::string("plane1.png"));
    // An image of another class is refused.
    opts["target_image"] = "dog0";
    try {
        attack->poison(clean, opts, {});
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("dog0.png\" is of class \"dog\"") != std::string::npos, e.what());
    }
}

void TestAttackPlugins::multipleGoals()
{
    auto multi = attackPlugin("attack-multi-target-label");
    auto single = attackPlugin("attack-single-target-label");
    QVERIFY(multi && single);
    const data::Dataset clean = smallDataset();
    const json opts = {
        {"goals", {{{"source", "sheep"}, {"target", "aeroplane"}}, {{"source", "dog"}, {"target", "sheep"}}}},
        {"rate", 0.5},
        {"seed", 3}};
    const AttackResult r = multi->poison(clean, opts, {});
    QCOMPARE(r.manifest.goals.size(), size_t(2));
    QCOMPARE(r.manifest.goals[0].poisonedPairs, 10LL);
    QCOMPARE(r.manifest.goals[1].poisonedPairs, 1LL);
    QCOMPARE(r.manifest.poisonedPairs, 11LL);
    std::set<int> captions;
    for (const auto &p : r.manifest.pairs) {
        QVERIFY(captions.insert(p.caption).second); // no caption poisoned twice
        const bool first = p.goal == 0;
        QCOMPARE(p.sourceClass, std::string(first ? "sheep" : "dog"));
        QCOMPARE(clean.images[p.newImage].label, first ? 1 : 0);
    }
    // Goal 0 has its own seeded stream: it matches Attack II alone with the same seed.
    const AttackResult alone = single->poison(clean, sheepToPlane(0.5, "caption", 3), {});
    json goal0 = json::array();
    const json multiManifest = r.manifest.toJson(); // keep it alive: the loop iterates into it
    for (const auto &p : multiManifest["pairs"])
        if (p["goal"] == 0)
            goal0.push_back(p);
    QCOMPARE(goal0.dump(), alone.manifest.toJson()["pairs"].dump());
    // The same class as the source of two goals is refused.
    json twice = opts;
    twice["goals"][1]["source"] = "sheep";
    QVERIFY_THROWS_EXCEPTION(Error, multi->poison(clean, twice, {}));
}

void TestAttackPlugins::similarityAwarePicksClosest()
{
    auto attack = attackPlugin("attack-similarity-aware");
    QVERIFY(attack);
    QVERIFY(attack->needsEmbeddings());
    const data::Dataset clean = smallDataset();
    // Fake embeddings in 3-D: caption "sheepK" is closest to training plane (K % 3);
    // plane images j sit on axis j.
    AttackContext ctx;
    ctx.embedTexts = [](const std::vector<std::string> &texts) {
        plugin::Embeddings out;
        for (const auto &t : texts) {
            const int k = std::stoi(t.substr(t.find("sheep") + 5));
            std::vector<float> v{0.1f, 0.1f, 0.1f};
            v[k % 3] = 1.0f;
            out.push_back(v);
        }
        return out;
    };
    ctx.embedImages = [](const data::Dataset &ds, const std::vector<int> &images) {
        plugin::Embeddings out;
        for (int i : images) {
            std::vector<float> v(3, 0.0f);
            v[ds.images[i].path[5] - '0'] = 2.0f; // "planeJ.png"
            out.push_back(v);
        }
        return out;
    };
    const AttackResult r = attack->poison(clean, sheepToPlane(0.6), ctx);
    QCOMPARE(r.manifest.pairs.size(), size_t(12));
    for (const auto &p : r.manifest.pairs) {
        const int k = std::stoi(p.originalPath.substr(5));
        QCOMPARE(p.newPath, "plane" + std::to_string(k % 3) + ".png");
    }
    // max_uses spreads the choice: 12 pairs over 3 images at most 4 each.
    json capped = sheepToPlane(0.6);
    capped["max_uses"] = 4;
    std::map<int, int> uses;
    for (const auto &p : attack->poison(clean, capped, ctx).manifest.pairs)
        ++uses[p.newImage];
    for (const auto &[img, n] : uses)
        QVERIFY(n <= 4);
    // Without a model it says what it needs.
    try {
        attack->poison(clean, sheepToPlane(0.6), {});
        QFAIL("no error");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("needs a clean model") != std::string::npos, e.what());
    }
}

void TestAttackPlugins::paperJsonExport()
{
    auto attack = attackPlugin("attack-single-target-label");
    QVERIFY(attack);
    const AttackResult r = attack->poison(smallDataset(), sheepToPlane(0.25), {});
    const json all = paperRecords(r.dataset);
    QCOMPARE(all.size(), size_t(25)); // the training split only
    const json poisoned = paperRecords(r.dataset, "train", true);
    QCOMPARE(poisoned.size(), size_t(5));
    for (const auto &rec : poisoned) {
        QCOMPARE(rec.size(), size_t(4));
        QCOMPARE(rec["label"].get<std::string>(), std::string("sheep")); // the caption's own class
        QVERIFY(rec["image"].get<std::string>().rfind("plane", 0) == 0);
        QCOMPARE(rec["image_id"].get<std::string>() + ".png", rec["image"].get<std::string>());
        QVERIFY(rec["caption"].get<std::string>().find("sheep") != std::string::npos);
    }
    test::TempDir dir;
    exportPaperJson(dir / "poisoned.json", r.dataset);
    QCOMPARE(readJsonFile(dir / "poisoned.json"), all);
}

void TestAttackPlugins::manifestRoundTrip()
{
    auto attack = attackPlugin("attack-multi-target-label");
    QVERIFY(attack);
    const json opts = {{"goals", {{{"source", "sheep"}, {"target", "aeroplane"}}}}, {"rate", 0.5}};
    const PoisonManifest m = attack->poison(smallDataset(), opts, {}).manifest;
    QCOMPARE(m.seed, std::uint64_t(42)); // the paper's random_state by default
    const PoisonManifest back = PoisonManifest::fromJson(m.toJson());
    QCOMPARE(back.toJson().dump(), m.toJson().dump());
    QVERIFY_THROWS_EXCEPTION(Error, PoisonManifest::fromJson(json{{"format", "other"}}));
}

void TestAttackPlugins::badInput_data()
{
    QTest::addColumn<QString>("plugin");
    QTest::addColumn<QString>("options");
    QTest::addColumn<bool>("noTrainingPairs");
    QTest::addColumn<QString>("expected");
    const QString ii = "attack-single-target-label";
    QTest::newRow("unknown class") << ii << R"({"source":"sheeep","target":"aeroplane","rate":0.1})" << false
                                   << "unknown class \"sheeep\" (known: sheep, aeroplane, dog, unicorn)";
    QTest::newRow("rate zero") << ii << R"({"source":"sheep","target":"aeroplane","rate":0})" << false
                               << "must be in (0, 1]";
    QTest::newRow("rate above one") << ii << R"({"source":"sheep","target":"aeroplane","rate":1.5})" << false
                                    << "must be in (0, 1]";
    QTest::newRow("rate negative") << ii << R"({"source":"sheep","target":"aeroplane","rate":-0.1})" << false
                                   << "must be in (0, 1]";
    QTest::newRow("rate missing") << ii << R"({"source":"sheep","target":"aeroplane"})" << false << "option \"rate\"";
    QTest::newRow("target class without images") << ii << R"({"source":"sheep","target":"unicorn","rate":0.5})" << false
                                                 << "class \"unicorn\" has no images in the train split";
    QTest::newRow("source class without images") << ii << R"({"source":"unicorn","target":"sheep","rate":0.5})" << false
                                                 << "class \"unicorn\" has no images in the train split";
    QTest::newRow("rate poisons none") << ii << R"({"source":"dog","target":"sheep","rate":0.2})" << false
                                       << "poisons none";
    QTest::newRow("mistyped key") << ii << R"({"source":"sheep","target":"aeroplane","rat":0.1})" << false
                                  << "unknown option \"rat\"";
    QTest::newRow("same class") << ii << R"({"source":"sheep","target":"sheep","rate":0.1})" << false
                                << "same source and target";
    QTest::newRow("multi without goals") << "attack-multi-target-label"
                                         << R"({"rate":0.1})" << false << "\"goals\" must be a non-empty list";
    QTest::newRow("multi goal typo") << "attack-multi-target-label"
                                     << R"({"goals":[{"source":"sheep","traget":"dog"}],"rate":0.1})" << false
                                     << "unknown option \"goals[0].traget\"";
    QTest::newRow("empty training set") << ii << R"({"source":"sheep","target":"aeroplane","rate":0.5})" << true
                                        << "holds no image-caption pairs";
}

void TestAttackPlugins::badInput()
{
    QFETCH(QString, plugin);
    QFETCH(QString, options);
    QFETCH(bool, noTrainingPairs);
    QFETCH(QString, expected);
    auto attack = attackPlugin(plugin.toStdString());
    QVERIFY(attack);
    data::Dataset d = smallDataset();
    if (noTrainingPairs)
        for (auto &img : d.images)
            img.split = data::Split::Test;
    try {
        attack->poison(d, json::parse(options.toStdString()), {});
        QFAIL("no error");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
        QVERIFY2(msg.rfind(plugin.toStdString(), 0) == 0, msg.c_str()); // names the attack
    }
}

POISONLAB_TEST_MAIN(TestAttackPlugins)
#include "tst_attackplugins.moc"
