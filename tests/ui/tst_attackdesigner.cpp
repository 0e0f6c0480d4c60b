// The attack designer: the form writes an attack the config reader accepts and reads it back
// the same, every shipped preset loads without losing its attack options, the class pickers
// count the training split, and each validation rule blocks Train with its reason beside the
// field.
#include "TestSupport.h"
#include "UiTestData.h"

#include "design/AttackDesignerPanel.h"
#include "design/AttackOptionsCheck.h"
#include "design/ClassPicker.h"
#include "design/GoalListEditor.h"
#include "design/ParameterField.h"
#include "design/PluginOptionsForm.h"
#include "design/RateEditor.h"
#include "design/TargetImageModel.h"
#include "design/TargetImagePicker.h"
#include "design/TrainingSetReader.h"
#include "design/TrainingSetSummary.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/PresetCatalog.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QListView>
#include <QPushButton>
#include <QSignalSpy>
#include <QSlider>
#include <QSpinBox>

using namespace poisonlab;
using namespace poisonlab::ui;
using nlohmann::json;
namespace fs = std::filesystem;

class TestAttackDesigner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void summaryCountsTheSplit();
    void classPickersShowTheTrainingSplit();
    void roundTrip_data();
    void roundTrip();
    void everyPresetKeepsItsAttack_data();
    void everyPresetKeepsItsAttack();
    void validationBlocksWithItsReason_data();
    void validationBlocksWithItsReason();
    void invalidEditIsNotWritten();
    void rateSliderAndSpinBoxAgree();
    void targetImageGridFollowsClassB();
    void estimateThenExactFromThePreview();
    void cleanRunWritesNullAttack();
    void unreadableTrainingSetIsShown();

private:
    std::unique_ptr<test::TempDir> m_dir;
};

namespace {

const int kReadMs = 30000;

// sheep 3 train images x 2 captions + 1 test; aeroplane 2 x 2 + 2 test; dog 2 x 3 + 1 test;
// sofa 1 x 2 + 1 test; bird only 1 test image. |D| (train) = 6 + 4 + 6 + 2 = 18.
struct ClassPlan {
    const char *name;
    int train, test, captions;
};
const ClassPlan kPlan[] = {
    {"sheep", 3, 1, 2}, {"aeroplane", 2, 2, 2}, {"dog", 2, 1, 3}, {"sofa", 1, 1, 2}, {"bird", 0, 1, 2}};

void writeToyData(const fs::path &root)
{
    std::string csv = "image,caption,label,split\n";
    int colour = 0;
    for (const ClassPlan &c : kPlan) {
        for (int i = 0; i < c.train + c.test; ++i) {
            const std::string path = std::string("img/") + c.name + std::to_string(i) + ".png";
            test::writePng(root / path, QSize(40, 30), QColor::fromHsv((colour * 60) % 360, 200, 200));
            for (int k = 0; k < c.captions; ++k)
                csv += path + ",a " + c.name + " number " + std::to_string(i) + " caption " + std::to_string(k) + "," +
                       c.name + "," + (i < c.train ? "train" : "test") + "\n";
        }
        ++colour;
    }
    test::writeText(root / "captions.csv", csv);
}

json toyDocument(const fs::path &root, json attack = nullptr)
{
    json doc = {{"name", "designer-test"},
                {"datasets", {{"toy", {{"format", "csv"}, {"root", root.string()}}}}},
                {"evaluation", {{"dataset", "toy"}, {"split", "test"}}},
                {"attack", std::move(attack)}};
    return doc;
}

// A draft on the toy data and a panel whose training set has been read.
struct Designer {
    ExperimentDraft draft;
    std::unique_ptr<AttackDesignerPanel> panel;

    Designer(const fs::path &root, json attack = nullptr)
    {
        draft.setDocument(toyDocument(root, std::move(attack)),
                          QString::fromStdString((root.parent_path() / "exp.json").string()));
        panel = std::make_unique<AttackDesignerPanel>(&draft);
        panel->trainingSetReader()->readNow();
        QTRY_VERIFY_WITH_TIMEOUT(panel->trainingSetReader()->summary() != nullptr, kReadMs);
    }
    ParameterField *field(const char *name) const { return panel->optionsForm()->field(QString::fromLatin1(name)); }
};

// Picks `name` in a class combo as a user does (the activated signal).
void pick(ClassPicker *picker, const QString &name)
{
    QVERIFY(picker);
    const int at = picker->findData(name);
    QVERIFY2(at >= 0, qPrintable(name));
    picker->setCurrentIndex(at);
    Q_EMIT picker->activated(at);
}

void choose(QComboBox *box, const QString &text)
{
    const int at = box->findText(text);
    QVERIFY2(at >= 0, qPrintable(text));
    box->setCurrentIndex(at);
    Q_EMIT box->activated(at);
}

} // namespace

void TestAttackDesigner::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    writeToyData(*m_dir / "toy");
}

// The counts follow core's rule: a poisoned caption belongs to its own (original) image.
void TestAttackDesigner::summaryCountsTheSplit()
{
    const auto golden = test::goldenDataset();
    const TrainingSetSummary s = TrainingSetSummary::compute(*golden, "train");
    QCOMPARE(s.split, std::string("train"));
    QCOMPARE(s.trainingPairs, 7LL); // cat c1 (2), dog d1 (1), sheep s1 (2 + the 2 moved to a1)
    QCOMPARE(s.find("sheep")->captions, 4LL);
    QCOMPARE(s.find("sheep")->images, 1LL);
    QCOMPARE(s.find("aeroplane")->images, 0LL); // a1 is a test image
    QCOMPARE(s.find("cat")->captions, 2LL);
    QCOMPARE(s.units("cat", "image"), 1LL);
    const TrainingSetSummary test = TrainingSetSummary::compute(*golden, "test");
    QCOMPARE(test.trainingPairs, 2LL); // c2 and a1's own caption
    QCOMPARE(test.find("aeroplane")->captions, 1LL);
}

void TestAttackDesigner::classPickersShowTheTrainingSplit()
{
    Designer d(m_dir->path() / "toy");
    const auto summary = d.panel->trainingSetReader()->summary();
    QCOMPARE(summary->trainingPairs, 18LL);
    for (const ClassPlan &c : kPlan) {
        const ClassCount *count = summary->find(c.name);
        QVERIFY2(count, c.name);
        QCOMPARE(count->images, static_cast<long long>(c.train));
        QCOMPARE(count->captions, static_cast<long long>(c.train * c.captions));
    }
    QStringList names; // every attack plugin, by name, after the clean run
    for (int i = 0; i < d.panel->attackBox()->count(); ++i)
        names << d.panel->attackBox()->itemText(i);
    QCOMPARE(names.mid(0, 4),
             (QStringList{QStringLiteral("No attack (clean run)"), QStringLiteral("Attack I: single target image"),
                          QStringLiteral("Attack II: single target label"),
                          QStringLiteral("Attack III: multiple target labels")}));
    QVERIFY(d.panel->attackBox()->findData(QStringLiteral("attack-similarity-aware")) >= 0);
    d.panel->selectAttack(QStringLiteral("attack-single-target-label"));
    ClassPicker *source = d.field("source")->classPicker();
    QVERIFY(source->findText(QStringLiteral("sheep — 6 captions, 3 images")) >= 0);
    QVERIFY(source->findText(QStringLiteral("dog — 6 captions, 2 images")) >= 0);
    QVERIFY(source->findText(QStringLiteral("bird — 0 captions, 0 images")) >= 0);
    QVERIFY(d.panel->trainingSetText().contains(QStringLiteral("18 image-caption pairs")));
}

void TestAttackDesigner::roundTrip_data()
{
    QTest::addColumn<QString>("plugin");
    QTest::newRow("Attack I") << "attack-single-target-image";
    QTest::newRow("Attack II") << "attack-single-target-label";
    QTest::newRow("Attack III") << "attack-multi-target-label";
}

// Form → draft → ExperimentConfig::fromJson → a new draft → the form shows the same values.
void TestAttackDesigner::roundTrip()
{
    QFETCH(QString, plugin);
    Designer d(m_dir->path() / "toy");
    d.panel->selectAttack(plugin);
    QCOMPARE(d.panel->attackId(), plugin);
    const bool multi = plugin == QLatin1String("attack-multi-target-label");
    if (multi) {
        GoalListEditor *goals = d.field("goals")->goalEditor();
        goals->addGoal();
        goals->addGoal();
        pick(goals->picker(0, 0), QStringLiteral("sheep"));
        pick(goals->picker(0, 1), QStringLiteral("aeroplane"));
        pick(goals->picker(1, 0), QStringLiteral("dog"));
        pick(goals->picker(1, 1), QStringLiteral("sofa"));
    } else {
        pick(d.field("source")->classPicker(), QStringLiteral("sheep"));
        pick(d.field("target")->classPicker(), QStringLiteral("aeroplane"));
    }
    d.field("rate")->rateEditor()->spinBox()->setValue(0.5);
    qobject_cast<QSpinBox *>(d.field("seed")->editor())->setValue(7);
    choose(qobject_cast<QComboBox *>(d.field("unit")->editor()), QStringLiteral("image"));
    QString image;
    if (ParameterField *f = d.field("target_image")) {
        TargetImagePicker *picker = f->imagePicker();
        QCOMPARE(picker->model()->rowCount(), 2); // aeroplane's two test images
        picker->view()->setCurrentIndex(picker->model()->index(1));
        image = picker->value();
        QCOMPARE(image, QStringLiteral("img/aeroplane3.png"));
    }
    QVERIFY2(d.panel->isValid(), qPrintable(d.panel->problems().join(QLatin1Char('\n'))));

    const json doc = d.draft.document();
    const auto config = experiment::ExperimentConfig::fromJson(doc, d.draft.file().toStdString());
    QVERIFY(config.attack);
    QCOMPARE(QString::fromStdString(config.attack->plugin), plugin);
    const json &o = config.attack->options;
    QCOMPARE(o["rate"].get<double>(), 0.5);
    QCOMPARE(o["seed"].get<int>(), 7);
    QCOMPARE(o["unit"], json("image"));
    if (multi)
        QCOMPARE(o["goals"],
                 json::parse(R"([{"source":"sheep","target":"aeroplane"},{"source":"dog","target":"sofa"}])"));
    else
        QCOMPARE(o["source"], json("sheep"));
    QCOMPARE(config.evalGoals.size(), multi ? size_t(2) : size_t(1));
    QCOMPARE(config.evalGoals[0].source, std::string("sheep"));
    QCOMPARE(QString::fromStdString(config.evalGoals[0].targetImage), image);

    Designer back(m_dir->path() / "toy");
    back.draft.setDocument(doc, d.draft.file());
    QCOMPARE(back.panel->attackId(), plugin);
    QCOMPARE(back.panel->options(), d.panel->options());
    QCOMPARE(back.field("rate")->rateEditor()->spinBox()->value(), 0.5);
    QCOMPARE(back.field("rate")->rateEditor()->slider()->value(), 500);
    QCOMPARE(qobject_cast<QSpinBox *>(back.field("seed")->editor())->value(), 7);
    QCOMPARE(qobject_cast<QComboBox *>(back.field("unit")->editor())->currentText(), QStringLiteral("image"));
    if (multi)
        QCOMPARE(back.field("goals")->goalEditor()->picker(1, 0)->className(), QStringLiteral("dog"));
    else
        QCOMPARE(back.field("target")->classPicker()->className(), QStringLiteral("aeroplane"));
    if (ParameterField *f = back.field("target_image"))
        QCOMPARE(f->imagePicker()->value(), image);
    QVERIFY(back.panel->isValid());
}

void TestAttackDesigner::everyPresetKeepsItsAttack_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("extraOption"); // an option no plugin.json describes, added to the attack
    const QDir dir(PresetCatalog::presetsDir());
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 10);
    for (const QString &name : files)
        if (name != QLatin1String("demo-pretrain.json"))
            QTest::newRow(qPrintable(name)) << dir.filePath(name) << QString();
    QTest::newRow("demo-attack2.json + an undescribed option")
        << dir.filePath(QStringLiteral("demo-attack2.json")) << QStringLiteral("note");
}

// Loaded, shown and written back, a preset's attack section is what the file holds.
void TestAttackDesigner::everyPresetKeepsItsAttack()
{
    QFETCH(QString, file);
    QFETCH(QString, extraOption);
    json original = readJsonFile(file.toStdString());
    if (!extraOption.isEmpty())
        original["attack"]["options"][extraOption.toStdString()] = "kept as it came";
    ExperimentDraft draft;
    AttackDesignerPanel panel(&draft);
    draft.setDocument(original, file);
    const json attack = original.value("attack", json());
    QCOMPARE(panel.attackId(), attack.is_object() ? QString::fromStdString(attack["plugin"]) : QString());
    if (attack.is_object()) {
        QCOMPARE(panel.options(), attack["options"]);
        for (const auto &[key, value] : attack["options"].items()) // every described option is in a field
            if (ParameterField *f = panel.optionsForm()->field(QString::fromStdString(key)))
                QCOMPARE(f->value(), value);
    }
    draft.setSection("attack", json::object()); // something else, so the write-back must restore it
    panel.writeToDraft();
    QCOMPARE(draft.section("attack"), attack);
}

void TestAttackDesigner::validationBlocksWithItsReason_data()
{
    QTest::addColumn<QString>("attack"); // the attack section, JSON
    QTest::addColumn<QString>("field");  // where the reason shows ("" = valid)
    QTest::addColumn<QString>("reason");
    const QString two = QStringLiteral(R"({"plugin": "attack-single-target-label", "options": %1})");
    QTest::newRow("valid") << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 1.0})") << ""
                           << "";
    QTest::newRow("A = B") << two.arg(R"({"source": "sheep", "target": "sheep", "rate": 1.0})") << "target"
                           << "must differ from class A";
    QTest::newRow("A has no captions in the split")
        << two.arg(R"({"source": "bird", "target": "sheep", "rate": 1.0})") << "source"
        << "\"bird\" has no captions";
    QTest::newRow("B has no images in the split")
        << two.arg(R"({"source": "sheep", "target": "bird", "rate": 1.0})") << "target"
        << "\"bird\" has no images";
    QTest::newRow("unknown class") << two.arg(R"({"source": "unicorn", "target": "sheep", "rate": 1.0})") << "source"
                                   << "not a class of the training set";
    QTest::newRow("rate poisons no pair")
        << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 0.05})") << "rate"
        << "poisons no pair";
    QTest::newRow("rate above 1") << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 1.5})") << "rate"
                                  << "rate";
    QTest::newRow("rate 0") << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 0})") << "rate"
                            << "greater than 0";
    QTest::newRow("negative seed") << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 1, "seed": -1})")
                                   << "seed"
                                   << "seed";
    QTest::newRow("unknown unit") << two.arg(R"({"source": "sheep", "target": "aeroplane", "rate": 1, "unit": "row"})")
                                  << "unit"
                                  << "unit";
    QTest::newRow("required class empty") << two.arg(R"({"target": "aeroplane", "rate": 1.0})") << "source"
                                          << "source is required";
    QTest::newRow("x* of class A")
        << R"({"plugin": "attack-single-target-image", "options": {"source": "sheep", "target": "aeroplane", "rate": 1, "target_image": "img/sheep3.png"}})"
        << "target_image"
        << "of class A";
    QTest::newRow("x* of another class")
        << R"({"plugin": "attack-single-target-image", "options": {"source": "sheep", "target": "aeroplane", "rate": 1, "target_image": "img/dog2.png"}})"
        << "target_image"
        << "not class B";
    QTest::newRow("goals repeat a source")
        << R"({"plugin": "attack-multi-target-label", "options": {"goals": [{"source": "sheep", "target": "aeroplane"}, {"source": "sheep", "target": "dog"}], "rate": 1}})"
        << "goals"
        << "more than one goal";
    QTest::newRow("goal row without class B")
        << R"({"plugin": "attack-multi-target-label", "options": {"goals": [{"source": "sheep", "target": ""}], "rate": 1}})"
        << "goals"
        << "needs class A and class B";
    QTest::newRow("similarity-aware without classes")
        << R"({"plugin": "attack-similarity-aware", "options": {"rate": 1}})"
        << "source"
        << "pick class A";
}

void TestAttackDesigner::validationBlocksWithItsReason()
{
    QFETCH(QString, attack);
    QFETCH(QString, field);
    QFETCH(QString, reason);
    Designer d(m_dir->path() / "toy", json::parse(attack.toStdString()));
    const QStringList problems = d.panel->problems();
    if (field.isEmpty()) {
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY(d.panel->trainButton()->isEnabled());
        return;
    }
    QVERIFY(!d.panel->isValid());
    QVERIFY(!d.panel->trainButton()->isEnabled());
    ParameterField *f = d.field(field.toLatin1().constData());
    QVERIFY(f);
    QVERIFY2(f->problem().contains(reason),
             qPrintable(f->problem() + QStringLiteral(" / ") + problems.join(QLatin1Char('\n'))));
    QVERIFY(d.panel->statusText().contains(QStringLiteral("Fix")));
}

// An edit that makes the form invalid leaves the draft as it was; fixing it writes again.
void TestAttackDesigner::invalidEditIsNotWritten()
{
    const json good = {{"plugin", "attack-single-target-label"},
                       {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 1.0}}}};
    Designer d(m_dir->path() / "toy", good);
    QVERIFY(d.panel->isValid());
    pick(d.field("target")->classPicker(), QStringLiteral("sheep"));
    QVERIFY(!d.panel->isValid());
    QCOMPARE(d.draft.section("attack"), good);
    pick(d.field("target")->classPicker(), QStringLiteral("dog"));
    QVERIFY(d.panel->isValid());
    QCOMPARE(d.draft.section("attack")["options"]["target"], json("dog"));
    QCOMPARE(d.draft.section("evaluation")["goals"], json::parse(R"([{"source":"sheep","target":"dog"}])"));
}

void TestAttackDesigner::rateSliderAndSpinBoxAgree()
{
    Designer d(m_dir->path() / "toy");
    d.panel->selectAttack(QStringLiteral("attack-single-target-label"));
    RateEditor *rate = d.field("rate")->rateEditor();
    QCOMPARE(rate->spinBox()->minimum(), 0.001); // min 0 is exclusive
    rate->slider()->setValue(250);
    QCOMPARE(rate->spinBox()->value(), 0.25);
    QCOMPARE(d.panel->options()["rate"], json(0.25));
    rate->spinBox()->setValue(0.8);
    QCOMPARE(rate->slider()->value(), 800);
    QCOMPARE(d.panel->options()["rate"], json(0.8));
}

// x*'s grid lists class B's test images; "Any class" lists every labelled one, and an image of
// class A picked there is refused beside the field.
void TestAttackDesigner::targetImageGridFollowsClassB()
{
    const json attack = {{"plugin", "attack-single-target-image"},
                         {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 1.0}}}};
    Designer d(m_dir->path() / "toy", attack);
    TargetImagePicker *picker = d.field("target_image")->imagePicker();
    QCOMPARE(picker->model()->rowCount(), 2); // aeroplane2, aeroplane3 (test)
    pick(d.field("target")->classPicker(), QStringLiteral("dog"));
    QCOMPARE(picker->model()->rowCount(), 1); // dog2
    QCOMPARE(picker->model()->index(0).data(TargetImageModel::PathRole).toString(), QStringLiteral("img/dog2.png"));
    picker->anyClassBox()->setChecked(true);
    QCOMPARE(picker->model()->rowCount(), 6); // one test image per class, two of aeroplane
    const int sheepRow = picker->model()->rowOfPath(QStringLiteral("img/sheep3.png"));
    QVERIFY(sheepRow >= 0);
    picker->view()->setCurrentIndex(picker->model()->index(sheepRow));
    QCOMPARE(d.panel->options()["target_image"], json("img/sheep3.png"));
    QVERIFY(!d.panel->isValid());
    QVERIFY(d.field("target_image")->problem().contains(QStringLiteral("of class A")));
    QCOMPARE(d.draft.section("attack")["options"]["target"], json("dog")); // the invalid choice is not written
    QVERIFY(!d.draft.section("attack")["options"].contains("target_image"));
}

// Beside the rate: an estimate from the counts at once, the preview's exact numbers when it lands.
void TestAttackDesigner::estimateThenExactFromThePreview()
{
    const json attack = {{"plugin", "attack-single-target-label"},
                         {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 0.5}}}};
    Designer d(m_dir->path() / "toy", attack);
    d.panel->optionsForm()->field(QStringLiteral("rate"))->rateEditor()->spinBox()->setValue(0.5); // an edit
    QVERIFY2(d.panel->rateText().startsWith(QStringLiteral("≈ 3 poisoned pairs of 18")),
             qPrintable(d.panel->rateText()));
    QTRY_VERIFY_WITH_TIMEOUT(d.panel->rateText().contains(QStringLiteral("exact, from the preview")), kReadMs);
    QVERIFY2(d.panel->rateText().startsWith(QStringLiteral("3 poisoned pairs of 18")), qPrintable(d.panel->rateText()));
    QVERIFY(d.panel->rateText().contains(QStringLiteral("16.67%")));
    QVERIFY(d.panel->paperText().contains(QStringLiteral("0.08%"))); // sheep -> aeroplane is the paper's goal
}

void TestAttackDesigner::cleanRunWritesNullAttack()
{
    const json attack = {{"plugin", "attack-single-target-label"},
                         {"options", {{"source", "sheep"}, {"target", "aeroplane"}, {"rate", 1.0}}}};
    Designer d(m_dir->path() / "toy", attack);
    QSignalSpy train(d.panel.get(), &AttackDesignerPanel::trainRequested);
    d.panel->selectAttack(QString());
    QVERIFY(d.draft.document().contains("attack"));
    QVERIFY(d.draft.section("attack").is_null());
    QVERIFY(d.panel->isValid());
    d.panel->trainButton()->click();
    QCOMPARE(train.count(), 1);
    d.panel->selectAttack(QStringLiteral("attack-multi-target-label"));
    QVERIFY(!d.panel->options().contains("goals")); // nothing carried from a clean run
    QVERIFY(!d.panel->isValid());
}

void TestAttackDesigner::unreadableTrainingSetIsShown()
{
    ExperimentDraft draft;
    draft.setDocument(toyDocument(m_dir->path() / "missing-folder"),
                      QString::fromStdString((*m_dir / "x.json").string()));
    AttackDesignerPanel panel(&draft);
    panel.trainingSetReader()->readNow();
    QTRY_VERIFY_WITH_TIMEOUT(!panel.trainingSetReader()->errorText().isEmpty(), kReadMs);
    QVERIFY2(panel.trainingSetText().startsWith(QStringLiteral("Could not read the training set")),
             qPrintable(panel.trainingSetText()));
    QVERIFY2(panel.trainingSetText().contains(QStringLiteral("missing-folder")), qPrintable(panel.trainingSetText()));
    panel.selectAttack(QStringLiteral("attack-single-target-label"));
    QVERIFY(!panel.isValid());
}

POISONLAB_TEST_MAIN(TestAttackDesigner)
#include "tst_attackdesigner.moc"
