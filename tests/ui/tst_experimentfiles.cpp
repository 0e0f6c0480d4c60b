// The experiment draft and its files: Open Experiment… of a bad file names it and leaves the
// draft as it was; Save writes exactly the document (atomically) and Open reads it back; a preset
// loads untitled, with its variables; "Train on the Open Dataset" makes a config core accepts;
// the clean reference measures the attack's goals without the attack; closing the window while a
// run trains asks first and, answered no, keeps it running.
#include "TestSupport.h"
#include "ToyExperiment.h"
#include "UiTestData.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDataBar.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/ExperimentFileActions.h"
#include "experiment/PresetCatalog.h"
#include "window/MainWindow.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/plugin/DatasetOpening.h"

#include <QDir>
#include <QFileInfo>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace poisonlab;
using nlohmann::json;
using ui::ExperimentDraft;
using ui::ExperimentFileActions;
namespace fs = std::filesystem;

class TestExperimentFiles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void badFileLeavesTheDraft_data();
    void badFileLeavesTheDraft();
    void saveThenOpenGivesTheSameDocument();
    void everyPresetLoadsUntitledWithItsVariables_data();
    void everyPresetLoadsUntitledWithItsVariables();
    void openDatasetBecomesTheExperimentsData();
    void cleanReferenceMeasuresTheAttacksGoals_data();
    void cleanReferenceMeasuresTheAttacksGoals();
    void closingWhileTrainingAsks();
    void classPairBecomesTheAttack();
};

void TestExperimentFiles::badFileLeavesTheDraft_data()
{
    QTest::addColumn<QString>("content"); // empty: no file at all
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing") << QString() << QStringLiteral("bad.json");
    QTest::newRow("syntax") << QStringLiteral("{\"name\": \"x\",\n \"seed\": }") << QStringLiteral("line 2");
    QTest::newRow("not an object") << QStringLiteral("[1, 2]") << QStringLiteral("JSON object");
    QTest::newRow("unknown key") << QStringLiteral(
                                        R"({"name": "x", "datasets": {"d": {"format": "csv", "root": "${data}"}},
        "train": {"datasets": ["d"]}, "training": {"epochs": 1, "batchsize": 8}})")
                                 << QStringLiteral("batchsize");
    QTest::newRow("wrong type") << QStringLiteral(R"({"name": "x", "datasets": {"d": {"format": "csv", "root": "/d"}},
        "train": {"datasets": ["d"]}, "training": {"epochs": "ten"}})")
                                << QStringLiteral("epochs");
}

void TestExperimentFiles::badFileLeavesTheDraft()
{
    QFETCH(QString, content);
    QFETCH(QString, mentions);
    test::TempDir dir;
    const fs::path file = dir / "bad.json";
    if (!content.isEmpty())
        test::writeText(file, content.toStdString());
    QWidget parent;
    ExperimentDraft draft;
    draft.setDocument(json{{"name", "kept"}});
    ExperimentFileActions files(&draft, &parent);
    QSignalSpy failed(&files, &ExperimentFileActions::failed);
    QSignalSpy reset(&draft, &ExperimentDraft::reset);
    QVERIFY(!files.open(QString::fromStdString(file.string())));
    QCOMPARE(failed.count(), 1);
    QVERIFY2(files.errorText().contains(QStringLiteral("bad.json")), qPrintable(files.errorText()));
    QVERIFY2(files.errorText().contains(mentions), qPrintable(files.errorText()));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(draft.document(), (json{{"name", "kept"}}));
}

void TestExperimentFiles::saveThenOpenGivesTheSameDocument()
{
    test::TempDir dir;
    QWidget parent;
    ExperimentDraft draft;
    ExperimentFileActions files(&draft, &parent);
    QVERIFY(files.loadPreset(QStringLiteral("demo-attack2")));
    draft.setEvaluationKey("every_epoch", true);
    const json written = draft.document();
    const QString path = QString::fromStdString((dir / "sub" / "mine.json").string());
    QVERIFY2(files.saveTo(path), qPrintable(files.errorText()));
    QCOMPARE(draft.file(), QFileInfo(path).absoluteFilePath());
    QCOMPARE(files.displayName(), QStringLiteral("mine.json"));
    QCOMPARE(readJsonFile(path.toStdString()), written); // ${data}, ${model} kept for the CLI
    // Only the file itself is left: the temporary file was renamed over it.
    QCOMPARE(QDir(QFileInfo(path).path()).entryList(QDir::Files), QStringList{QStringLiteral("mine.json")});

    ExperimentDraft other;
    ExperimentFileActions otherFiles(&other, &parent);
    QVERIFY(otherFiles.open(path));
    QCOMPARE(other.document(), written);
}

void TestExperimentFiles::everyPresetLoadsUntitledWithItsVariables_data()
{
    QTest::addColumn<QString>("preset");
    const auto presets = ui::PresetCatalog::presets();
    QVERIFY(!presets.isEmpty());
    for (const ui::Preset &p : presets)
        QTest::newRow(qPrintable(p.name)) << p.name;
}

// A preset must never be overwritten by Save: it loads untitled, and lists the ${variables} the
// Train step asks for (the paper tables need ${pascal}, ${coco} or ${flickr30k}).
void TestExperimentFiles::everyPresetLoadsUntitledWithItsVariables()
{
    QFETCH(QString, preset);
    QWidget parent;
    ExperimentDraft draft;
    ExperimentFileActions files(&draft, &parent);
    QVERIFY(files.loadPreset(preset));
    QVERIFY(draft.file().isEmpty());
    QCOMPARE(files.displayName(), QStringLiteral("untitled (from %1)").arg(preset));
    const json original = readJsonFile(
        (ui::PresetCatalog::presetsDir() + QLatin1Char('/') + preset + QStringLiteral(".json")).toStdString());
    QCOMPARE(draft.document(), original);
    QStringList expected;
    for (const std::string &name : experiment::ExperimentConfig::variablesIn(original))
        expected << QString::fromStdString(name);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(draft.variableNames(), expected);
    for (const QString &name : expected) // nothing filled, no environment: each one is missing
        if (qEnvironmentVariableIsEmpty(name.toLocal8Bit().constData()))
            QVERIFY(draft.missingVariables().contains(name));
}

void TestExperimentFiles::openDatasetBecomesTheExperimentsData()
{
    test::TempDir dir;
    test::writePascalLayout(dir / "pascal", {"cat", "dog", "sheep"}, 30, 2);
    data::DatasetSource source;
    source.format = "pascal-sentences";
    source.root = dir / "pascal";
    NullProgress progress;
    const auto dataset = plugin::openDataset(source, progress);
    ExperimentDraft draft;
    draft.setDocument(
        readJsonFile((ui::PresetCatalog::presetsDir() + QStringLiteral("/demo-attack2.json")).toStdString()));
    draft.setVariable(QStringLiteral("model"), QStringLiteral("/nowhere/clip.safetensors"));
    ui::ExperimentDataBar bar(&draft);
    QSignalSpy changed(&draft, &ExperimentDraft::sectionChanged);
    bar.setOpenDataset(source, std::make_shared<const data::Dataset>(dataset));
    QVERIFY(bar.useOpenButton()->isEnabled());
    bar.useOpenButton()->click();
    QVERIFY(changed.count() >= 2);
    const experiment::ExperimentConfig config = draft.resolve(); // throws when core would refuse it
    QCOMPARE(config.trainDatasets, std::vector<std::string>{"data"});
    QCOMPARE(config.evalDataset, std::string("data"));
    QCOMPARE(config.dataset("data").source.root, dir / "pascal");
    // PASCAL sentences have no splits of their own: the paper's 25 test images per class.
    QCOMPARE(config.dataset("data").splitMethod, std::string("per-class-test"));
    QCOMPARE(config.dataset("data").testPerClass, 25);
    QVERIFY(config.utilityDataset.empty()); // the Flickr stand-in is gone with the old data
    QVERIFY2(bar.text().contains(QStringLiteral("pascal-sentences")), qPrintable(bar.text()));
}

void TestExperimentFiles::cleanReferenceMeasuresTheAttacksGoals_data()
{
    QTest::addColumn<QString>("attack");
    QTest::addColumn<QString>("goals");
    QTest::newRow("attack II") << R"({"plugin": "attack-single-target-label",
        "options": {"source": "sheep", "target": "cat", "rate": 0.5}})"
                               << R"([{"source": "sheep", "target": "cat"}])";
    QTest::newRow("attack I") << R"({"plugin": "attack-single-target-image",
        "options": {"source": "sheep", "target": "cat", "rate": 0.5, "target_image": "dataset/cat/cat_3.png"}})"
                              << R"([{"source": "sheep", "target": "cat", "target_image": "dataset/cat/cat_3.png"}])";
    QTest::newRow("attack III") << R"({"plugin": "attack-multi-target-label",
        "options": {"goals": [{"source": "sheep", "target": "cat"}, {"source": "dog", "target": "sheep"}], "rate": 0.5}})"
                                << R"([{"source": "sheep", "target": "cat"}, {"source": "dog", "target": "sheep"}])";
}

void TestExperimentFiles::cleanReferenceMeasuresTheAttacksGoals()
{
    QFETCH(QString, attack);
    QFETCH(QString, goals);
    ExperimentDraft draft;
    json doc = readJsonFile((ui::PresetCatalog::presetsDir() + QStringLiteral("/demo-attack2.json")).toStdString());
    doc["attack"] = json::parse(attack.toStdString());
    doc["evaluation"].erase("goals");
    draft.setDocument(doc);
    const json clean = draft.cleanDocument();
    QVERIFY(clean["attack"].is_null());
    QCOMPARE(clean["evaluation"]["goals"], json::parse(goals.toStdString()));
    QCOMPARE(clean["name"], json("demo-attack2-clean"));
    QCOMPARE(draft.document(), doc); // the draft itself is unchanged
    ExperimentDraft cleanDraft;
    cleanDraft.setDocument(clean);
    cleanDraft.setVariable(QStringLiteral("data"), QStringLiteral("/d"));
    cleanDraft.setVariable(QStringLiteral("model"), QStringLiteral("/m.safetensors"));
    const experiment::ExperimentConfig config = cleanDraft.resolve();
    QVERIFY(!config.attack);
    QCOMPARE(config.evalGoals.size(), clean["evaluation"]["goals"].size());
}

void TestExperimentFiles::closingWhileTrainingAsks()
{
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    json j = test::toyExperimentConfig(dir / "toy", true).toJson();
    j["training"]["epochs"] = 50; // long enough to still be training when the window closes
    j["evaluation"]["every_epoch"] = false;
    test::writeText(dir / "toy.json", j.dump(2));
    ui::MainWindow window;
    int asked = 0;
    bool answer = false;
    window.setCloseQuestion([&] {
        ++asked;
        return answer;
    });
    QVERIFY(window.close()); // nothing runs: no question
    QCOMPARE(asked, 0);
    ui::ExperimentController *controller = window.trainingController();
    QVERIFY(controller->start(QString::fromStdString((dir / "toy.json").string()), {},
                              QString::fromStdString((dir / "run").string())));
    QVERIFY(controller->isBusy());
    QVERIFY(!window.close()); // answered "no": the run goes on
    QCOMPARE(asked, 1);
    QVERIFY(controller->isBusy());
    answer = true;
    QSignalSpy cancelled(controller, &ui::ExperimentController::cancelled);
    QVERIFY(window.close());
    QCOMPARE(asked, 2);
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() == 1, 120000);
    QVERIFY(!controller->isBusy());
}

// A class-pair grid cell: Attack II on that pair, keeping the rate and seed the user set, and the
// goals measured follow; core accepts the result.
void TestExperimentFiles::classPairBecomesTheAttack()
{
    ExperimentDraft draft;
    json doc = readJsonFile((ui::PresetCatalog::presetsDir() + QStringLiteral("/demo-table3.json")).toStdString());
    draft.setDocument(doc);
    draft.setVariable(QStringLiteral("data"), QStringLiteral("/d"));
    draft.setVariable(QStringLiteral("model"), QStringLiteral("/m.safetensors"));
    const json before = draft.section("attack")["options"];
    draft.useAttackPair(QStringLiteral("dog"), QStringLiteral("cat"));
    const json attack = draft.section("attack");
    QCOMPARE(attack["plugin"], json("attack-single-target-label"));
    QCOMPARE(attack["options"]["source"], json("dog"));
    QCOMPARE(attack["options"]["target"], json("cat"));
    QVERIFY(!attack["options"].contains("goals"));
    QCOMPARE(attack["options"]["rate"], before["rate"]);
    QCOMPARE(draft.section("evaluation")["goals"], json::parse(R"([{"source": "dog", "target": "cat"}])"));
    const experiment::ExperimentConfig config = draft.resolve();
    QCOMPARE(config.attack->plugin, std::string("attack-single-target-label"));
}

POISONLAB_TEST_MAIN(TestExperimentFiles)
#include "tst_experimentfiles.moc"
