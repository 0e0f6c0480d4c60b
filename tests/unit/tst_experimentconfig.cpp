// Experiment configs: strict reading (unknown or mistyped keys name the file and the key path),
// paths and ${variables}, plugin ids of the right kind, the paper's YAML keys, and a resolved
// config that reads back to the same config.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <nlohmann/json.hpp>

using namespace poisonlab;
using namespace poisonlab::experiment;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json validConfig()
{
    return readJsonFile(test::testDataDir() / "experiment/minimal.json");
}

} // namespace

class TestExperimentConfig : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void readsValidConfig();
    void relativeVariableIsFromTheWorkingDirectory_data();
    void relativeVariableIsFromTheWorkingDirectory();
    void resolvedConfigRoundTrips();
    void badConfig_data();
    void badConfig();
    void unreadableJson_data();
    void unreadableJson();
    void paperYamlKeys();
    void utilityGallery();
    void paperValFileIsTheUtilityGallery();
    void everyPresetLoads();
    void listsTheVariablesUsed_data();
    void listsTheVariablesUsed();
};

void TestExperimentConfig::readsValidConfig()
{
    const fs::path file = test::testDataDir() / "experiment/minimal.json";
    const ExperimentConfig c = ExperimentConfig::load(file, {{"data", "/srv/demo"}});
    QCOMPARE(c.name, std::string("minimal"));
    QCOMPARE(c.seed, std::uint64_t(3));
    QCOMPARE(c.datasets.size(), size_t(2));
    QCOMPARE(c.dataset("pascal").source.root, fs::path("/srv/demo/pascal"));
    // Relative paths are relative to the config file.
    QCOMPARE(c.dataset("flickr").source.root, (file.parent_path() / "flickr").lexically_normal());
    QCOMPARE(c.dataset("flickr").source.annotations.size(), size_t(1));
    QCOMPARE(c.dataset("flickr").maxImages, 50LL);
    QCOMPARE(c.trainDatasets, (std::vector<std::string>{"pascal", "flickr"}));
    QCOMPARE(c.evalDataset, std::string("pascal"));
    QVERIFY(c.attack.has_value());
    QCOMPARE(c.attack->plugin, std::string("attack-single-target-label"));
    QCOMPARE(c.attack->options["rate"].get<double>(), 0.5);
    QCOMPARE(c.training["seed"].get<std::uint64_t>(), std::uint64_t(3)); // the experiment's seed
    QVERIFY(c.defenses.empty());
}

void TestExperimentConfig::relativeVariableIsFromTheWorkingDirectory_data()
{
    QTest::addColumn<QString>("root");     // the config's datasets.pascal.root
    QTest::addColumn<QString>("data");     // --var data=...
    QTest::addColumn<QString>("base");     // "cwd" or "config": where a relative result starts
    QTest::addColumn<QString>("relative"); // the rest of the expected path
    QTest::newRow("relative value") << "${data}/pascal"
                                    << "demo-data"
                                    << "cwd"
                                    << "demo-data/pascal";
    QTest::newRow("value with ..") << "${data}"
                                   << "../elsewhere/pascal"
                                   << "cwd"
                                   << "../elsewhere/pascal";
    QTest::newRow("variable inside a path") << "sets/${data}"
                                            << "pascal"
                                            << "config"
                                            << "sets/pascal";
    QTest::newRow("absolute value") << "${data}/pascal"
                                    << "/srv/demo"
                                    << "none"
                                    << "/srv/demo/pascal";
}

// `--var data=demo-data` means the folder where the user typed it, not one beside the preset.
void TestExperimentConfig::relativeVariableIsFromTheWorkingDirectory()
{
    QFETCH(QString, root);
    QFETCH(QString, data);
    QFETCH(QString, base);
    QFETCH(QString, relative);
    test::TempDir dir;
    json j = validConfig();
    j["datasets"]["pascal"]["root"] = root.toStdString();
    writeJsonAtomically(dir / "presets" / "c.json", j);
    const ExperimentConfig c = ExperimentConfig::load(dir / "presets" / "c.json", {{"data", data.toStdString()}});
    const fs::path start = base == "cwd" ? fs::current_path() : base == "config" ? dir / "presets" : fs::path();
    QCOMPARE(c.dataset("pascal").source.root, (start / relative.toStdString()).lexically_normal());
}

void TestExperimentConfig::resolvedConfigRoundTrips()
{
    const ExperimentConfig c =
        ExperimentConfig::load(test::testDataDir() / "experiment/minimal.json", {{"data", "/srv/demo"}});
    const json resolved = c.toJson();
    QCOMPARE(resolved["training"]["epochs"].get<int>(), 2);
    QVERIFY(resolved["training"].contains("learningRate")); // defaults are written out
    QCOMPARE(resolved["datasets"]["pascal"]["root"].get<std::string>(), std::string("/srv/demo/pascal"));
    test::TempDir dir; // read back from elsewhere: absolute paths keep their meaning
    writeJsonAtomically(dir / "resolved.json", resolved);
    const ExperimentConfig back = ExperimentConfig::load(dir / "resolved.json");
    QCOMPARE(back.toJson().dump(), resolved.dump());
}

void TestExperimentConfig::badConfig_data()
{
    QTest::addColumn<QString>("pointer");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::newRow("mistyped top key") << "/trainig"
                                      << "{}"
                                      << "unknown key \"trainig\" (did you mean \"training\"?)";
    QTest::newRow("mistyped dataset key") << "/datasets/pascal/rooot"
                                          << "\"x\""
                                          << "unknown key \"datasets.pascal.rooot\" (did you mean \"root\"?)";
    QTest::newRow("mistyped attack option") << "/attack/options/rat"
                                            << "0.1"
                                            << "unknown key \"attack.options.rat\" (did you mean \"rate\"?)";
    QTest::newRow("unknown attack plugin") << "/attack/plugin"
                                           << "\"attack-nope\""
                                           << "\"attack.plugin\": unknown attack plugin \"attack-nope\"";
    QTest::newRow("defense that is an attack")
        << "/defenses"
        << R"([{"plugin": "attack-single-target-image"}])"
        << "\"defenses[0].plugin\": \"attack-single-target-image\" is a attack plugin, not a defense plugin";
    QTest::newRow("unknown defense") << "/defenses"
                                     << R"([{"plugin": "defense-nope"}])"
                                     << "\"defenses[0].plugin\": unknown defense plugin \"defense-nope\"";
    QTest::newRow("undefined train dataset")
        << "/train/datasets"
        << R"(["pascal", "coco"])"
        << "\"train.datasets\": names dataset \"coco\", which \"datasets\" does not define";
    QTest::newRow("bad split") << "/evaluation/split"
                               << "\"tset\""
                               << "\"evaluation.split\": unknown split \"tset\"";
    QTest::newRow("wrong type") << "/seed"
                                << "\"three\""
                                << "\"seed\": must be a non-negative integer";
    QTest::newRow("unknown variable") << "/datasets/pascal/root"
                                      << "\"${nowhere}/pascal\""
                                      << "unknown variable ${nowhere}";
    QTest::newRow("training option") << "/training/batchsize"
                                     << "8"
                                     << "\"training\"";
    QTest::newRow("utility on an undefined dataset")
        << "/evaluation/utility"
        << R"({"dataset": "flickr30k"})"
        << "\"evaluation.utility.dataset\": names dataset \"flickr30k\", which \"datasets\" does not define";
    QTest::newRow("utility without a dataset") << "/evaluation/utility"
                                               << R"({"split": "test"})"
                                               << "\"evaluation.utility.dataset\": is required";
    QTest::newRow("utility split") << "/evaluation/utility"
                                   << R"({"dataset": "flickr", "split": "tset"})"
                                   << "\"evaluation.utility.split\": unknown split \"tset\"";
    QTest::newRow("utility not an object") << "/evaluation/utility"
                                           << "\"flickr\""
                                           << "\"evaluation.utility\": must be {";
    QTest::newRow("mistyped utility key") << "/evaluation/utility"
                                          << R"({"dataset": "flickr", "splt": "test"})"
                                          << "unknown key \"evaluation.utility.splt\"";
    QTest::newRow("missing root") << "/datasets/flickr"
                                  << R"({"format": "karpathy"})"
                                  << "\"datasets.flickr.root\": is required";
    // Whole numbers beyond what they are read into turned negative or wrapped (4294967297 -> 1).
    QTest::newRow("max_images beyond a long long") << "/datasets/flickr/max_images"
                                                   << "9223372036854775808"
                                                   << "\"datasets.flickr.max_images\": must be a non-negative integer";
    QTest::newRow("test_per_class beyond an int")
        << "/datasets/pascal/splits"
        << R"({"method": "per-class-test", "test_per_class": 4294967297})"
        << "\"datasets.pascal.splits.test_per_class\": must be a positive integer (at most 2147483647)";
    // The paper keys' translation named no file (found by fuzz_experiment_config).
    QTest::newRow("paper optimizer") << "/optimizer"
                                     << R"({"opt": "sgd"})"
                                     << "\"optimizer.opt\": PoisonLab trains with AdamW, got \"sgd\"";
    QTest::newRow("paper schedule") << "/schedular"
                                    << R"({"sched": "step"})"
                                    << "\"schedular.sched\": PoisonLab's schedule is cosine";
}

// Text that is not JSON PoisonLab reads: refused with the file's name, never another exception
// type or a stack overflow (both found with fuzz_experiment_config).
void TestExperimentConfig::unreadableJson_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("syntax") << R"({"seed": })"
                            << "invalid JSON at line 1, column 10 (byte 9): parse error";
    QTest::newRow("number beyond a double") << R"({"seed": 1e999})"
                                            << "invalid JSON: number overflow parsing '1e999'";
    QTest::newRow("nested 100,000 deep")
        << R"({"comment": )" + QString(100000, '[') + QString(100000, ']') + "}"
        << "invalid JSON at line 1, column 268 (byte 267): nested deeper than 256 levels";
    QTest::newRow("brackets in strings do not nest") << R"({"comment": ")" + QString(1000, '[') + "\"}"
                                                     << "\"datasets\": is required";
    QTest::newRow("256 levels read") << R"({"comment": )" + QString(255, '[') + QString(255, ']') + "}"
                                     << "\"datasets\": is required";
}

void TestExperimentConfig::unreadableJson()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    test::TempDir dir;
    test::writeText(dir / "bad-exp.json", text.toStdString());
    try {
        ExperimentConfig::load(dir / "bad-exp.json");
        QFAIL("no error");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.rfind((dir / "bad-exp.json").string() + ": ", 0) == 0, msg.c_str());
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
    }
}

void TestExperimentConfig::badConfig()
{
    QFETCH(QString, pointer);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    json j = validConfig();
    j[json::json_pointer(pointer.toStdString())] = json::parse(value.toStdString());
    test::TempDir dir;
    writeJsonAtomically(dir / "bad-exp.json", j);
    try {
        ExperimentConfig::load(dir / "bad-exp.json", {{"data", "/srv"}});
        QFAIL("no error");
    } catch (const Error &e) {
        const std::string msg = e.what();
        QVERIFY2(msg.find("bad-exp.json") != std::string::npos, msg.c_str());
        QVERIFY2(msg.find(expected.toStdString()) != std::string::npos, msg.c_str());
    }
}

void TestExperimentConfig::paperYamlKeys()
{
    const ExperimentConfig c = ExperimentConfig::load(test::testDataDir() / "experiment/paper-keys.json");
    QVERIFY(c.attack.has_value());
    QCOMPARE(c.attack->plugin, std::string("attack-single-target-label"));
    QCOMPARE(c.attack->options["rate"].get<double>(), 0.01);
    QCOMPARE(c.attack->options["source"].get<std::string>(), std::string("sheep"));
    QCOMPARE(c.attack->options["target"].get<std::string>(), std::string("aeroplane"));
    QCOMPARE(c.training["batchSize"].get<int>(), 64);
    QCOMPARE(c.training["learningRate"].get<double>(), 1e-5);
    QCOMPARE(c.training["weightDecay"].get<double>(), 0.02);
    QCOMPARE(c.training["epochs"].get<int>(), 10);
    QCOMPARE(c.training["minLearningRate"].get<double>(), 1e-6);
    QCOMPARE(c.evalOptions["batchSize"].get<int>(), 128);
    // A paper optimizer PoisonLab does not have is an error, not a silent change.
    json j = readJsonFile(test::testDataDir() / "experiment/paper-keys.json");
    j["optimizer"]["opt"] = "sgd";
    QVERIFY_THROWS_EXCEPTION(Error, ExperimentConfig::fromJson(j));
}

// Utility on a gallery of its own; without one the resolved config says nothing of it.
void TestExperimentConfig::utilityGallery()
{
    json j = validConfig();
    const ExperimentConfig plain = ExperimentConfig::fromJson(j, {}, {{"data", "/srv"}});
    QVERIFY(plain.utilityDataset.empty());
    QVERIFY(!plain.toJson()["evaluation"].contains("utility"));
    j["evaluation"]["utility"] = {{"dataset", "flickr"}};
    const ExperimentConfig c = ExperimentConfig::fromJson(j, {}, {{"data", "/srv"}});
    QCOMPARE(c.utilityDataset, std::string("flickr"));
    QCOMPARE(c.utilitySplit, std::string("test"));
    const json resolved = c.toJson();
    QCOMPARE(resolved["evaluation"]["utility"].dump(), json({{"dataset", "flickr"}, {"split", "test"}}).dump());
    QCOMPARE(ExperimentConfig::fromJson(resolved).utilityDataset, std::string("flickr"));
}

// The paper's YAML: train_file is trained on, test_file is the attack's gallery and val_file
// (Flickr30k test in its Flickr-PASCAL config) the one its retrieval figures come from.
void TestExperimentConfig::paperValFileIsTheUtilityGallery()
{
    const json j = {{"train_file", {"/p/flickr30k_train.json", "/p/pascal_train_poisoned.json"}},
                    {"val_file", "/p/flickr30k_test.json"},
                    {"test_file", "/p/pascal_test.json"},
                    {"image_root", "/p/images"}};
    const ExperimentConfig c = ExperimentConfig::fromJson(j);
    QCOMPARE(c.evalDataset, std::string("paper-test"));
    QCOMPARE(c.utilityDataset, std::string("paper-val"));
    QCOMPARE(c.utilitySplit, std::string("all"));
    const DatasetSpec &val = c.dataset("paper-val");
    QCOMPARE(val.source.format, std::string("paper-json"));
    QCOMPARE(val.source.annotations, (std::vector<fs::path>{"/p/flickr30k_test.json"}));
    QCOMPARE(val.source.root, fs::path("/p/images"));
}

// The presets users pick in the workbench and the docs quote: each is a valid experiment.
void TestExperimentConfig::everyPresetLoads()
{
    const fs::path presets = fs::path(POISONLAB_SOURCE_DIR) / "resources" / "presets";
    const std::map<std::string, std::string> vars = {
        {"data", "/d"}, {"model", "/m.pt"}, {"pascal", "/p"}, {"flickr30k", "/f"}, {"coco", "/c"}};
    int loaded = 0;
    for (const auto &entry : fs::directory_iterator(presets)) {
        if (entry.path().extension() != ".json" || entry.path().stem() == "demo-pretrain") // a recipe
            continue;
        try {
            const ExperimentConfig c = ExperimentConfig::load(entry.path(), vars);
            QCOMPARE(c.name, entry.path().stem().string());
            if (entry.path().stem().string().find("flickr-pascal") != std::string::npos) {
                QCOMPARE(c.utilityDataset, std::string("flickr")); // the paper's val_file
                QCOMPARE(c.utilitySplit, std::string("test"));
            }
        } catch (const Error &e) {
            QFAIL(e.what());
        }
        ++loaded;
    }
    QVERIFY(loaded >= 13);
}

void TestExperimentConfig::listsTheVariablesUsed_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("variables");
    QTest::newRow("none") << R"({"name": "x", "epochs": 3})"
                          << "";
    QTest::newRow("nested, sorted, once")
        << R"({"a": "${pascal}/x", "b": ["${coco}", {"c": "${pascal}${data}/y"}], "d": 4})"
        << "coco,data,pascal";
    QTest::newRow("unterminated is left to fromJson") << R"({"a": "${model}", "b": "${oops"})"
                                                      << "model";
}

void TestExperimentConfig::listsTheVariablesUsed()
{
    QFETCH(QString, config);
    QFETCH(QString, variables);
    QStringList got;
    for (const auto &name : ExperimentConfig::variablesIn(nlohmann::json::parse(config.toStdString())))
        got << QString::fromStdString(name);
    QCOMPARE(got.join(QLatin1Char(',')), variables);
}

POISONLAB_TEST_MAIN(TestExperimentConfig)
#include "tst_experimentconfig.moc"
