// The Train panel trains the workbench's draft: the hyper-parameter form and the draft's
// "training" section round-trip; mixed precision is offered where the device runs it (bf16 on an AVX512-BF16/AMX CPU,
// fp16 on CUDA); every shipped preset gets a field for each ${variable} and resolves once they are filled; the model
// choice keeps
// ${model}; bad weights show an error naming the file; a short run from the draft feeds the
// loss / learning-rate / samples charts, the per-epoch Hit@K chart and the log pane; cancel then
// resume finishes; the clean reference trains into <out>-clean after the poisoned run.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "charts/LiveLossChart.h"
#include "experiment/ConfigVariablesForm.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentDraft.h"
#include "experiment/PresetCatalog.h"
#include "log/LogModel.h"
#include "log/LogPane.h"
#include "train/HyperParameterForm.h"

#include "poisonlab/core/train/ComputeDevices.h"

#include "train/LiveSeriesChart.h"
#include "train/ModelPicker.h"
#include "train/ScientificSpinBox.h"
#include "train/TrainMonitor.h"
#include "train/TrainPanel.h"
#include <QStandardItemModel>

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/clip/ClipWeights.h"
#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/experiment/RunDirectory.h"
#include "poisonlab/core/train/TrainOptions.h"

#include <QChart>
#include <QCheckBox>
#include <QComboBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>

#include <spdlog/spdlog.h>

using namespace poisonlab;
using nlohmann::json;
using poisonlab::ui::ExperimentController;
using poisonlab::ui::ExperimentDraft;
using poisonlab::ui::PresetCatalog;
using poisonlab::ui::TrainPanel;
namespace fs = std::filesystem;

class TestTrainPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void formWritesTheDraft_data();
    void formWritesTheDraft();
    void draftFillsTheForm_data();
    void draftFillsTheForm();
    void mixedPrecisionWhereTheDeviceRunsIt();
    void everyPresetHasItsVariables_data();
    void everyPresetHasItsVariables();
    void modelChoiceKeepsTheVariable();
    void weightsAreDescribedOrRejected();
    void trainsTheDraft();
    void evaluationHasItsOwnEta();
    void cancelThenResumeFinishes();
    void cleanReferenceTrainsAfter();
    void errorsShowInThePanel_data();
    void errorsShowInThePanel();

private:
    json toyDoc(int epochs, bool everyEpoch, const std::string &name) const;
    QString out(const std::string &name) const { return QString::fromStdString((m_dir / name).string()); }

    test::TempDir m_dir;
};

namespace {

const int kFinishMs = 240000; // generous: the machine may be busy building

std::string runStatus(const QString &dir)
{
    return experiment::RunDirectory::open(dir.toStdString()).manifest().status;
}

// Sets the form field named `field` to `value` as a user would (signals fire).
void setField(QWidget *form, const QString &field, const QVariant &value)
{
    QObject *w = form->findChild<QObject *>(field);
    QVERIFY2(w, qPrintable(field));
    if (auto *box = qobject_cast<QSpinBox *>(w))
        box->setValue(value.toInt());
    else if (auto *dbox = qobject_cast<QDoubleSpinBox *>(w))
        dbox->setValue(value.toDouble());
    else if (auto *combo = qobject_cast<QComboBox *>(w))
        combo->setCurrentIndex(combo->findData(value.toString()));
    else if (auto *check = qobject_cast<QCheckBox *>(w))
        check->setChecked(value.toBool());
}

QVariant fieldValue(QWidget *form, const QString &field)
{
    QObject *w = form->findChild<QObject *>(field);
    if (auto *box = qobject_cast<QSpinBox *>(w))
        return box->value();
    if (auto *dbox = qobject_cast<QDoubleSpinBox *>(w))
        return dbox->value();
    if (auto *combo = qobject_cast<QComboBox *>(w))
        return combo->currentData();
    if (auto *check = qobject_cast<QCheckBox *>(w))
        return check->isChecked();
    return {};
}

} // namespace

void TestTrainPanel::initTestCase()
{
    spdlog::set_level(spdlog::level::debug); // as initLogging() sets the app's logger
    test::writeToyExperimentData(m_dir / "toy");
}

json TestTrainPanel::toyDoc(int epochs, bool everyEpoch, const std::string &name) const
{
    json j = test::toyExperimentJson(m_dir / "toy", true, name);
    j["training"]["epochs"] = epochs;
    j["evaluation"]["every_epoch"] = everyEpoch;
    return j;
}

void TestTrainPanel::formWritesTheDraft_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("value");
    QTest::addColumn<QString>("expected"); // the draft's training section afterwards, as JSON
    QTest::newRow("epochs") << "epochs" << QVariant(3) << R"({"epochs": 3})";
    QTest::newRow("default epochs drop the key") << "epochs" << QVariant(10) << R"({})";
    QTest::newRow("batch size") << "batchSize" << QVariant(16) << R"({"batchSize": 16})";
    QTest::newRow("learning rate") << "learningRate" << QVariant(0.00025) << R"({"learningRate": 0.00025})";
    QTest::newRow("warm-up") << "warmupSteps" << QVariant(7) << R"({"warmupSteps": 7})";
    QTest::newRow("weight decay") << "weightDecay" << QVariant(0.1) << R"({"weightDecay": 0.1})";
    QTest::newRow("freeze") << "freeze" << QVariant(QStringLiteral("image")) << R"({"freeze": "image"})";
    QTest::newRow("seed") << "seed" << QVariant(9) << R"({"seed": 9})";
}

void TestTrainPanel::formWritesTheDraft()
{
    QFETCH(QString, field);
    QFETCH(QVariant, value);
    QFETCH(QString, expected);
    ExperimentDraft draft;
    draft.setDocument({{"name", "x"}, {"training", {{"epochs", 4}}}, {"evaluation", {{"every_epoch", true}}}});
    TrainPanel panel(&draft);
    if (field != QLatin1String("epochs"))
        setField(panel.hyperParameters(), QStringLiteral("epochs"), 10); // start from the defaults
    setField(panel.hyperParameters(), field, value);
    const json training = draft.section("training");
    QCOMPARE(QString::fromStdString(training.dump()),
             QString::fromStdString(json::parse(expected.toStdString()).dump()));
    train::TrainOptions::fromJson(training); // what core reads
    QCOMPARE(draft.section("evaluation")["every_epoch"], json(true));
    setField(panel.hyperParameters(), QStringLiteral("everyEpoch"), false);
    QCOMPARE(draft.section("evaluation")["every_epoch"], json(false));
}

void TestTrainPanel::draftFillsTheForm_data()
{
    QTest::addColumn<QString>("training");
    QTest::addColumn<QString>("field");
    QTest::addColumn<QVariant>("shown");
    QTest::newRow("defaults") << "{}"
                              << "batchSize" << QVariant(128);
    QTest::newRow("default lr") << "{}"
                                << "learningRate" << QVariant(1e-5);
    QTest::newRow("default warm-up") << "{}"
                                     << "warmupSteps" << QVariant(50);
    QTest::newRow("epochs") << R"({"epochs": 5})"
                            << "epochs" << QVariant(5);
    QTest::newRow("lr") << R"({"learningRate": 0.00025})"
                        << "learningRate" << QVariant(0.00025);
    QTest::newRow("freeze") << R"({"freeze": "text"})"
                            << "freeze" << QVariant(QStringLiteral("text"));
    QTest::newRow("seed from the document") << "{}"
                                            << "seed" << QVariant(4);
}

void TestTrainPanel::draftFillsTheForm()
{
    QFETCH(QString, training);
    QFETCH(QString, field);
    QFETCH(QVariant, shown);
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    draft.setDocument({{"name", "x"}, {"seed", 4}, {"training", json::parse(training.toStdString())}});
    const QVariant value = fieldValue(panel.hyperParameters(), field);
    if (shown.typeId() == QMetaType::Double)
        QVERIFY2(qFuzzyCompare(value.toDouble(), shown.toDouble()), qPrintable(value.toString()));
    else
        QCOMPARE(value, shown);
    // Loading writes nothing back: the document stays as it was.
    QCOMPARE(QString::fromStdString(draft.section("training").dump()),
             QString::fromStdString(json::parse(training.toStdString()).dump()));
}

void TestTrainPanel::mixedPrecisionWhereTheDeviceRunsIt()
{
    // Offered: what the device runs as the trainer checks it (bf16 on a CPU with AVX512-BF16/AMX,
    // fp16 on CUDA only); the rest is listed but cannot be chosen.
    const auto cpuRuns = train::supportedPrecisions("cpu", train::cpuFlags());
    const bool cpuBf16 = std::find(cpuRuns.begin(), cpuRuns.end(), "bf16") != cpuRuns.end();
    ExperimentDraft draft;
    draft.setDocument({{"name", "x"}, {"training", {{"device", "cpu"}, {"precision", "bf16"}}}});
    TrainPanel panel(&draft);
    auto *form = panel.hyperParameters();
    QCOMPARE(form->device(), QStringLiteral("cpu"));
    QCOMPARE(form->precision()->isEnabled(), cpuBf16);
    QCOMPARE(form->precision()->currentData().toString(), cpuBf16 ? QStringLiteral("bf16") : QStringLiteral("fp32"));
    auto *items = qobject_cast<QStandardItemModel *>(form->precision()->model());
    QVERIFY(items);
    QVERIFY(!items->item(form->precision()->findData(QStringLiteral("fp16")))->isEnabled()); // CUDA only
    QCOMPARE(items->item(form->precision()->findData(QStringLiteral("bf16")))->isEnabled(), cpuBf16);
    QVERIFY(form->precision()->toolTip().contains(QStringLiteral("cpu runs")));
    setField(form, QStringLiteral("epochs"), 2);
    QCOMPARE(draft.section("training").value("precision", std::string("fp32")), cpuBf16 ? "bf16" : "fp32");
    for (int i = 0; i < form->deviceBox()->count(); ++i) {
        const QString id = form->deviceBox()->itemData(i).toString();
        form->deviceBox()->setCurrentIndex(i);
        if (id.startsWith(QLatin1String("cuda")))
            QVERIFY(items->item(form->precision()->findData(QStringLiteral("fp16")))->isEnabled());
        QCOMPARE(QString::fromStdString(draft.section("training").value("device", std::string("cpu"))), id);
    }
}

void TestTrainPanel::everyPresetHasItsVariables_data()
{
    QTest::addColumn<QString>("path");
    for (const auto &preset : PresetCatalog::presets())
        QTest::newRow(qPrintable(preset.name)) << preset.path;
    QVERIFY(!PresetCatalog::presets().isEmpty());
}

// Each shipped preset (paper tables included) gets a field for every ${variable}; filled, the
// draft resolves as core reads it, also after a hyper-parameter edit.
void TestTrainPanel::everyPresetHasItsVariables()
{
    QFETCH(QString, path);
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    QVERIFY(draft.load(path));
    const QStringList names = draft.variableNames();
    QCOMPARE(panel.variablesForm()->variables(), names);
    for (const QString &name : names) {
        QLineEdit *field = panel.findChild<QLineEdit *>(QStringLiteral("variable_") + name);
        QVERIFY2(field, qPrintable(name));
        field->setText(QStringLiteral("/datasets/") + name);
        Q_EMIT field->textEdited(field->text());
        QCOMPARE(draft.variable(name), QStringLiteral("/datasets/") + name);
    }
    QVERIFY(draft.missingVariables().isEmpty());
    setField(panel.hyperParameters(), QStringLiteral("warmupSteps"), 3);
    try {
        const auto config = draft.resolve();
        QCOMPARE(config.training.value("warmupSteps", 0), 3);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestTrainPanel::modelChoiceKeepsTheVariable()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    draft.setDocument({{"name", "x"}, {"model", {{"architecture", "ViT-B/32"}, {"weights", "${model}"}}}});
    QVERIFY(panel.variablesForm()->variables().contains(QStringLiteral("model")));
    Q_EMIT panel.modelPicker()->chosen(QStringLiteral("/weights/ViT-B-32.pt"), false);
    QCOMPARE(draft.section("model")["weights"], json("${model}"));
    QCOMPARE(draft.variable(QStringLiteral("model")), QStringLiteral("/weights/ViT-B-32.pt"));
    QCOMPARE(panel.variablesForm()->field(QStringLiteral("model"))->text(), QStringLiteral("/weights/ViT-B-32.pt"));

    draft.setDocument({{"name", "y"}, {"model", {{"architecture", "demo-tiny"}}}});
    Q_EMIT panel.modelPicker()->chosen(QStringLiteral("/weights/hf-clip"), false);
    QCOMPARE(draft.section("model"), json({{"weights", "/weights/hf-clip"}}));
    Q_EMIT panel.modelPicker()->chosen(QStringLiteral("/demo/clip.safetensors"), true);
    QCOMPARE(draft.section("model"), json({{"weights", "${model}"}}));
    QCOMPARE(draft.variable(QStringLiteral("model")), QStringLiteral("/demo/clip.safetensors"));
}

void TestTrainPanel::weightsAreDescribedOrRejected()
{
    const fs::path good = m_dir / "weights" / "tiny.safetensors";
    clip::ClipModel model(clip::ClipConfig::fromJson(toyDoc(1, false, "w")["model"]["config"]));
    clip::saveClip(good, model, nullptr, json::object());
    const fs::path bad = m_dir / "weights" / "broken.safetensors";
    test::writeText(bad, "not a safetensors file");

    ui::ModelPicker picker;
    QSignalSpy described(&picker, &ui::ModelPicker::described);
    picker.showWeights(QString::fromStdString(good.string()));
    QTRY_VERIFY_WITH_TIMEOUT(!picker.isLoading() && !described.isEmpty(), 30000);
    QVERIFY2(picker.error().isEmpty(), qPrintable(picker.error()));
    for (const char *part : {"Image tower: ViT, width 64", "patch 16", "32 px", "Text tower: transformer, width 32",
                             "16 tokens", "vocabulary 600", "Embedding 32", "parameters"})
        QVERIFY2(picker.description().contains(QLatin1String(part)), qPrintable(picker.description()));

    described.clear();
    picker.showWeights(QString::fromStdString(bad.string()));
    QTRY_VERIFY_WITH_TIMEOUT(!picker.isLoading() && !described.isEmpty(), 30000);
    QVERIFY(picker.error().contains(QStringLiteral("broken.safetensors")));
    QVERIFY(picker.description().isEmpty());
}

void TestTrainPanel::trainsTheDraft()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    draft.setDocument(toyDoc(1, true, "short"));
    QVERIFY(!panel.modelPicker()->description().isEmpty()); // the config's new model is described
    panel.setOutputDir(out("short"));
    QSignalSpy finished(&panel, &TrainPanel::runFinished);
    QSignalSpy failed(panel.controller(), &ExperimentController::failed);
    QSignalSpy evaluated(panel.controller(), &ExperimentController::epochEvaluated);
    panel.start();
    QVERIFY(panel.isTraining());
    QVERIFY(!panel.startButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kFinishMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QCOMPARE(finished.first().at(0).toString(), out("short"));
    QCOMPARE(finished.first().at(1).toString(), QString());
    QVERIFY(!panel.isTraining());
    QCOMPARE(runStatus(out("short")), std::string("finished"));

    auto *monitor = panel.monitor();
    QTRY_COMPARE(monitor->lossChart()->pointCount(), 4); // 32 pairs / 8 per batch, one epoch
    QTRY_COMPARE(monitor->learningRateChart()->pointCount(monitor->learningRateChart()->lineNames().value(0)), 4);
    QVERIFY(monitor->throughputChart()->redrawCount() > 0);
    QCOMPARE(evaluated.count(), 1);
    QCOMPARE(evaluated.first().at(1).toStringList(), QStringList{QStringLiteral("sheep->aeroplane")});
    QVERIFY(evaluated.first().at(2).toMap().contains(QStringLiteral("goal0.hit@10")));
    QVERIFY(evaluated.first().at(2).toMap().contains(QStringLiteral("utility.text.r@1")));
    QTRY_COMPARE(monitor->attackChart()->pointCount(QStringLiteral("Hit@10")), 1);
    QVERIFY(monitor->attackChart()->chart()->title().contains(QStringLiteral("sheep->aeroplane")));
    QTRY_VERIFY(monitor->utilityChart()->redrawCount() > 0);
    QTRY_VERIFY(monitor->logPane()->model()->rowCount() > 0);
    QVERIFY(monitor->message().contains(out("short")));
}

// The bar covers evaluation too: a counting phase ("evaluate: embedding images") shows its count
// and, once it has a pace, an ETA of its own.
void TestTrainPanel::evaluationHasItsOwnEta()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    QProgressBar *bar = panel.monitor()->progressBar();
    Q_EMIT panel.controller()->phaseChanged(QStringLiteral("evaluate: embedding images"), 1, 40);
    QCOMPARE(bar->maximum(), 40);
    QVERIFY2(!bar->format().contains(QStringLiteral("ETA")), qPrintable(bar->format())); // no pace yet
    QTest::qWait(50);
    Q_EMIT panel.controller()->phaseChanged(QStringLiteral("evaluate: embedding images"), 10, 40);
    QCOMPARE(bar->value(), 10);
    QVERIFY2(bar->format().startsWith(QStringLiteral("evaluating: %v / %m — ETA ")), qPrintable(bar->format()));
}

void TestTrainPanel::cancelThenResumeFinishes()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    draft.setDocument(toyDoc(40, false, "long"));
    panel.setOutputDir(out("long"));
    QSignalSpy finished(&panel, &TrainPanel::runFinished);
    QSignalSpy cancelled(panel.controller(), &ExperimentController::cancelled);
    QSignalSpy failed(panel.controller(), &ExperimentController::failed);
    auto once = connect(panel.controller(), &ExperimentController::stepReported, &panel, &TrainPanel::cancel);
    panel.start();
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + failed.count() + finished.count() == 1, kFinishMs);
    QCOMPARE(cancelled.count(), 1);
    QVERIFY(!panel.isTraining());
    QVERIFY(panel.message().contains(QStringLiteral("Resume")));
    QCOMPARE(runStatus(out("long")), std::string("cancelled"));
    disconnect(once);

    QSignalSpy steps(panel.controller(), &ExperimentController::stepReported);
    panel.resume();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kFinishMs * 2);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QCOMPARE(runStatus(out("long")), std::string("finished"));
    QVERIFY(steps.first().at(0).value<ui::TrainingStep>().step > 1); // continued, not restarted
    panel.resume();                                                  // nothing left to resume: said so, nothing started
    QVERIFY(!panel.isTraining());
    QVERIFY(panel.message().contains(QStringLiteral("already finished")));
}

void TestTrainPanel::cleanReferenceTrainsAfter()
{
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    draft.setDocument(toyDoc(1, false, "pair"));
    panel.setOutputDir(out("pair"));
    panel.setTrainCleanReference(true);
    QStringList labels;
    connect(panel.controller(), &ExperimentController::started, this, [&] { labels << panel.monitor()->runLabel(); });
    QSignalSpy finished(&panel, &TrainPanel::runFinished);
    QSignalSpy failed(panel.controller(), &ExperimentController::failed);
    panel.start();
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kFinishMs * 2);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QCOMPARE(finished.first().at(0).toString(), out("pair"));
    QCOMPARE(finished.first().at(1).toString(), out("pair-clean"));
    QCOMPARE(labels,
             (QStringList{QStringLiteral("Run 1 of 2: poisoned"), QStringLiteral("Run 2 of 2: clean reference")}));
    QCOMPARE(runStatus(out("pair")), std::string("finished"));
    QCOMPARE(runStatus(out("pair-clean")), std::string("finished"));
    const json cleanConfig = readJsonFile((m_dir / "pair-clean" / "config.json"));
    QVERIFY(cleanConfig["attack"].is_null());
    QVERIFY(fs::exists(m_dir / "pair" / "poison"));
}

void TestTrainPanel::errorsShowInThePanel_data()
{
    QTest::addColumn<QString>("error"); // "" = a real run of a config core rejects
    QTest::addColumn<QStringList>("mentions");
    QTest::newRow("rejected config") << QString()
                                     << QStringList{QStringLiteral("experiment.json"), QStringLiteral("trainingg")};
    QTest::newRow("cuda out of memory") << QStringLiteral("CUDA out of memory. Tried to allocate 2.00 GiB")
                                        << QStringList{QStringLiteral("Out of memory on cpu"),
                                                       QStringLiteral("lower the batch size")};
    QTest::newRow("cpu allocator") << QStringLiteral("DefaultCPUAllocator: not enough memory: you tried to allocate")
                                   << QStringList{QStringLiteral("Out of memory on cpu")};
    QTest::newRow("other error") << QStringLiteral("images/a.png: cannot decode")
                                 << QStringList{QStringLiteral("images/a.png: cannot decode")};
}

void TestTrainPanel::errorsShowInThePanel()
{
    QFETCH(QString, error);
    QFETCH(QStringList, mentions);
    ExperimentDraft draft;
    TrainPanel panel(&draft);
    json doc = toyDoc(1, false, "bad");
    if (error.isEmpty())
        doc["trainingg"] = json::object();
    draft.setDocument(doc);
    panel.setOutputDir(out("bad"));
    QSignalSpy failed(panel.controller(), &ExperimentController::failed);
    if (error.isEmpty()) {
        panel.start();
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kFinishMs);
        QVERIFY(!fs::exists(m_dir / "bad")); // nothing written for a config core rejects
    } else {
        Q_EMIT panel.controller()->failed(error, QString(), out("bad"));
    }
    for (const QString &m : mentions)
        QVERIFY2(panel.message().contains(m), qPrintable(panel.message()));
    QVERIFY(panel.monitor()->messageIsError());
    QVERIFY(panel.startButton()->isEnabled());
    QCOMPARE(draft.document(), doc); // nothing lost
}

POISONLAB_TEST_MAIN(TestTrainPanel)
#include "tst_trainpanel.moc"
