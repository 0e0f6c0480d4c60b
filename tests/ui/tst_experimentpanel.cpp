// The Experiment panel: the shipped presets are listed, core's errors show in the panel (no
// crash, no dialog), a run started from it shows progress and opens in the run viewer when it
// finishes, and Cancel says the run can be resumed.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "charts/LiveLossChart.h"
#include "experiment/ConfigVariablesForm.h"
#include "experiment/ExperimentController.h"
#include "experiment/ExperimentPanel.h"
#include "experiment/PresetCatalog.h"
#include "results/RunViewer.h"
#include "window/MainWindow.h"

#include "poisonlab/core/experiment/ExperimentConfig.h"
#include "poisonlab/core/report/RunResults.h"

#include <QComboBox>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardItemModel>

using namespace poisonlab;
using poisonlab::ui::ExperimentController;
using poisonlab::ui::ExperimentPanel;
using poisonlab::ui::MainWindow;
using poisonlab::ui::PresetCatalog;
namespace fs = std::filesystem;

class TestExperimentPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void listsThePresets();
    void everyPresetRunsFromThePanel_data();
    void everyPresetRunsFromThePanel();
    void errorsShowInThePanel_data();
    void errorsShowInThePanel();
    void finishedRunOpensInTheViewer();
    void cancelSaysResumable();
};

namespace {

const int kFinishMs = 180000;

QString toyConfig(const test::TempDir &dir, int epochs)
{
    if (!fs::exists(dir / "toy"))
        test::writeToyExperimentData(dir / "toy");
    nlohmann::json j = test::toyExperimentConfig(dir / "toy", true).toJson();
    j["training"]["epochs"] = epochs;
    j["evaluation"]["every_epoch"] = false;
    const fs::path file = dir / ("toy-" + std::to_string(epochs) + ".json");
    test::writeText(file, j.dump(2));
    return QString::fromStdString(file.string());
}

} // namespace

void TestExperimentPanel::listsThePresets()
{
    const QString dir = PresetCatalog::presetsDir();
    QVERIFY(!dir.isEmpty());
    ExperimentPanel panel;
    auto *box = panel.findChild<QComboBox *>(QStringLiteral("presetBox"));
    QVERIFY(box->findText(QStringLiteral("demo-attack2")) >= 0);
    QVERIFY(box->findText(QStringLiteral("demo-defense-filter")) >= 0);
    QCOMPARE(box->findText(QStringLiteral("demo-pretrain")), -1); // a recipe, not an experiment
    panel.selectPreset(QStringLiteral("demo-attack2"));
    QCOMPARE(panel.configPath(), dir + QStringLiteral("/demo-attack2.json"));
    QVERIFY(panel.outputDir().endsWith(QStringLiteral("runs/demo-attack2")));
    QVERIFY(panel.variables().contains(QStringLiteral("data")));
}

// Each shipped preset gets a field for every ${variable} it uses (the paper tables need ${pascal},
// ${flickr30k} or ${coco}); filled, the panel's variables load the config; left empty, Run says
// which one to fill instead of starting.
void TestExperimentPanel::everyPresetRunsFromThePanel_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<QString>("fields"); // the variables beyond data and model, comma-separated
    QTest::newRow("demo") << "demo-attack2"
                          << "";
    QTest::newRow("paper Flickr-PASCAL") << "paper-table1-flickr-pascal"
                                         << "flickr30k,pascal";
    QTest::newRow("paper COCO") << "paper-table2-coco"
                                << "coco";
    for (const auto &preset : PresetCatalog::presets())
        QTest::newRow(qPrintable(QStringLiteral("every preset: ") + preset.name)) << preset.name << "?";
}

void TestExperimentPanel::everyPresetRunsFromThePanel()
{
    QFETCH(QString, preset);
    QFETCH(QString, fields);
    ExperimentPanel panel;
    panel.selectPreset(preset);
    QCOMPARE(panel.configPath(), PresetCatalog::presetsDir() + QLatin1Char('/') + preset + QStringLiteral(".json"));
    const QStringList shown = panel.variablesForm()->variables();
    if (fields != QLatin1String("?"))
        QCOMPARE(shown.join(QLatin1Char(',')), fields);
    for (const QString &name : shown)
        QVERIFY(panel.findChild<QLineEdit *>(QStringLiteral("variable_") + name));
    for (const QString &name : shown)
        panel.variablesForm()->setValue(name, QString());
    if (!panel.variablesForm()->missing().isEmpty()) {
        panel.setOutputDir(QStringLiteral("/tmp/never-made"));
        panel.run(); // refuses, naming every variable left empty
        for (const QString &name : panel.variablesForm()->missing())
            QVERIFY2(panel.message().contains(QStringLiteral("${") + name + QLatin1Char('}')),
                     qPrintable(panel.message()));
        QVERIFY(!panel.controller()->isBusy());
    }
    for (const QString &name : shown)
        panel.variablesForm()->setValue(name, QStringLiteral("/datasets/") + name);
    panel.setDataDir(QStringLiteral("/d"));
    panel.setModelPath(QStringLiteral("/m.pt"));
    std::map<std::string, std::string> vars;
    const auto filled = panel.variables();
    for (auto it = filled.begin(); it != filled.end(); ++it)
        vars[it.key().toStdString()] = it.value().toStdString();
    try {
        experiment::ExperimentConfig::load(panel.configPath().toStdString(), vars);
    } catch (const std::exception &e) {
        QFAIL(e.what());
    }
}

void TestExperimentPanel::errorsShowInThePanel_data()
{
    QTest::addColumn<QString>("content"); // empty: the file does not exist
    QTest::addColumn<QString>("mentions");
    QTest::newRow("no such file") << QString() << QStringLiteral("no such file");
    QTest::newRow("malformed") << QStringLiteral("{\"name\": [") << QStringLiteral("exp.json");
    QTest::newRow("missing data")
        << QStringLiteral("{\"name\": \"x\", \"model\": {\"weights\": \"${data}/nowhere.safetensors\"}, \"datasets\": "
                          "{\"p\": {\"format\": \"pascal-sentences\", \"root\": \"${data}/nowhere\"}}}")
        << QStringLiteral("nowhere");
}

void TestExperimentPanel::errorsShowInThePanel()
{
    QFETCH(QString, content);
    QFETCH(QString, mentions);
    test::TempDir dir;
    if (!content.isEmpty())
        test::writeText(dir / "exp.json", content.toStdString());
    ExperimentPanel panel;
    panel.setConfigPath(QString::fromStdString((dir / "exp.json").string()));
    panel.setDataDir(QString::fromStdString(dir.path().string()));
    panel.setOutputDir(QString::fromStdString((dir / "out").string()));
    QSignalSpy ended(panel.controller(), &ExperimentController::busyChanged);
    panel.runButton()->click();
    if (content.isEmpty()) {
        QVERIFY(!panel.controller()->isBusy()); // refused before starting
    } else {
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() == 2, kFinishMs);
        QCOMPARE(panel.phaseText(), QStringLiteral("Failed"));
    }
    QVERIFY2(panel.message().contains(mentions), qPrintable(panel.message()));
    QVERIFY(panel.runButton()->isEnabled());
}

void TestExperimentPanel::finishedRunOpensInTheViewer()
{
    test::TempDir dir;
    MainWindow window;
    ExperimentPanel *panel = window.experimentPanel();
    panel->setConfigPath(toyConfig(dir, 2));
    const QString out = QString::fromStdString((dir / "run").string());
    panel->setOutputDir(out);
    QSignalSpy finished(panel, &ExperimentPanel::runFinished);
    panel->runButton()->click();
    QVERIFY(!panel->runButton()->isEnabled());
    QVERIFY(panel->cancelButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1 || panel->phaseText() == QLatin1String("Failed"), kFinishMs);
    QVERIFY2(finished.count() == 1, qPrintable(panel->message()));
    QTRY_COMPARE(panel->lossChart()->pointCount(), 8);
    QCOMPARE(panel->progressBar()->value(), panel->progressBar()->maximum());
    // The finished run is in the viewer.
    QVERIFY(window.runViewer()->results());
    QCOMPARE(window.runViewer()->results()->name(), std::string("toy"));
    QVERIFY(window.runViewer()->attackModel()->rowCount() == 2);
}

void TestExperimentPanel::cancelSaysResumable()
{
    test::TempDir dir;
    ExperimentPanel panel;
    panel.setConfigPath(toyConfig(dir, 60));
    panel.setOutputDir(QString::fromStdString((dir / "run").string()));
    connect(panel.controller(), &ExperimentController::stepReported, &panel, &ExperimentPanel::cancel);
    QSignalSpy busy(panel.controller(), &ExperimentController::busyChanged);
    panel.runButton()->click();
    QTRY_VERIFY_WITH_TIMEOUT(busy.count() == 2, kFinishMs);
    QCOMPARE(panel.phaseText(), QStringLiteral("Cancelled"));
    QVERIFY2(panel.message().contains(QStringLiteral("Resume")), qPrintable(panel.message()));
    QVERIFY(panel.resumeButton()->isEnabled());
}

POISONLAB_TEST_MAIN(TestExperimentPanel)
#include "tst_experimentpanel.moc"
