// ExperimentController: a tiny experiment runs on the controller's thread and reports steps,
// phases and its end; Cancel stops it and leaves a resumable run that Resume finishes; deleting
// the controller mid-run cancels and returns; core's errors come back as messages.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "experiment/ExperimentController.h"
#include "poisonlab/core/experiment/RunDirectory.h"

#include <QElapsedTimer>

using namespace poisonlab;
using poisonlab::ui::ExperimentController;
using poisonlab::ui::TrainingStep;
namespace fs = std::filesystem;

class TestExperimentController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void runsAndReportsProgress();
    void cancelLeavesAResumableRun();
    void destroyingMidRunReturns();
    void errorsComeBackAsMessages_data();
    void errorsComeBackAsMessages();

private:
    /// A toy config file; `epochs` long enough that a cancel lands mid-training.
    QString writeConfig(int epochs, bool everyEpoch);

    test::TempDir m_dir;
    int m_configs = 0;
};

namespace {

std::string runStatus(const QString &dir)
{
    return experiment::RunDirectory::open(dir.toStdString()).manifest().status;
}

const int kFinishMs = 180000; // generous: the machine may be busy building

} // namespace

void TestExperimentController::initTestCase()
{
    test::writeToyExperimentData(m_dir / "toy");
}

QString TestExperimentController::writeConfig(int epochs, bool everyEpoch)
{
    nlohmann::json j = test::toyExperimentConfig(m_dir / "toy", true).toJson();
    j["training"]["epochs"] = epochs;
    j["evaluation"]["every_epoch"] = everyEpoch;
    const fs::path file = m_dir / ("config" + std::to_string(++m_configs) + ".json");
    test::writeText(file, j.dump(2));
    return QString::fromStdString(file.string());
}

void TestExperimentController::runsAndReportsProgress()
{
    ExperimentController controller;
    QSignalSpy steps(&controller, &ExperimentController::stepReported);
    QSignalSpy phases(&controller, &ExperimentController::phaseChanged);
    QSignalSpy epochs(&controller, &ExperimentController::epochFinished);
    QSignalSpy finished(&controller, &ExperimentController::finished);
    QSignalSpy failed(&controller, &ExperimentController::failed);
    QSignalSpy busy(&controller, &ExperimentController::busyChanged);
    const QString out = QString::fromStdString((m_dir / "run-ok").string());
    QVERIFY(controller.start(writeConfig(2, true), {}, out));
    QVERIFY(controller.isBusy());
    QVERIFY(!controller.start(writeConfig(2, true), {}, out)); // one at a time
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kFinishMs);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QCOMPARE(finished.first().at(0).toString(), out);
    QVERIFY(!controller.isBusy());
    QCOMPARE(busy.count(), 2);
    // 32 training pairs / 8 per batch x 2 epochs, every step reported, in order.
    QCOMPARE(steps.count(), 8);
    for (int i = 0; i < steps.count(); ++i) {
        const auto s = steps.at(i).at(0).value<TrainingStep>();
        QCOMPARE(s.step, qint64(i + 1));
        QCOMPARE(s.totalSteps, qint64(8));
        QVERIFY(s.loss > 0);
    }
    QCOMPARE(epochs.count(), 2);
    QVERIFY(phases.count() >= 2); // loading, evaluating...
    QCOMPARE(runStatus(out), std::string("finished"));
}

void TestExperimentController::cancelLeavesAResumableRun()
{
    ExperimentController controller;
    QSignalSpy cancelled(&controller, &ExperimentController::cancelled);
    QSignalSpy finished(&controller, &ExperimentController::finished);
    QSignalSpy failed(&controller, &ExperimentController::failed);
    // Cancel at the first step of a long run (60 epochs x 4 steps).
    connect(&controller, &ExperimentController::stepReported, &controller, &ExperimentController::cancel);
    const QString out = QString::fromStdString((m_dir / "run-cancel").string());
    QVERIFY(controller.start(writeConfig(60, false), {}, out));
    QTRY_VERIFY_WITH_TIMEOUT(cancelled.count() + finished.count() + failed.count() == 1, kFinishMs);
    QCOMPARE(cancelled.count(), 1);
    QCOMPARE(cancelled.first().at(0).toString(), out);
    QVERIFY(cancelled.first().at(1).toBool()); // resumable
    QCOMPARE(runStatus(out), std::string("cancelled"));

    controller.disconnect(&controller, &ExperimentController::stepReported, &controller, nullptr);
    QSignalSpy steps(&controller, &ExperimentController::stepReported);
    QVERIFY(controller.resume(out));
    QTRY_VERIFY_WITH_TIMEOUT(finished.count() + failed.count() == 1, kFinishMs * 2);
    QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed.first().at(0).toString()));
    QCOMPARE(runStatus(out), std::string("finished"));
    QVERIFY(!steps.isEmpty());
    QVERIFY(steps.first().at(0).value<TrainingStep>().step > 1); // continued, not restarted
    QCOMPARE(steps.last().at(0).value<TrainingStep>().step, qint64(240));
}

void TestExperimentController::destroyingMidRunReturns()
{
    const QString out = QString::fromStdString((m_dir / "run-destroy").string());
    auto *controller = new ExperimentController;
    QSignalSpy steps(controller, &ExperimentController::stepReported);
    QVERIFY(controller->start(writeConfig(60, false), {}, out));
    QTRY_VERIFY_WITH_TIMEOUT(!steps.isEmpty(), kFinishMs);
    delete controller; // cancels, quits the thread and waits: the trainer stops after this step
    QCOMPARE(runStatus(out), std::string("cancelled"));
}

void TestExperimentController::errorsComeBackAsMessages_data()
{
    QTest::addColumn<QString>("config");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("missing file") << QStringLiteral("no-such-config.json") << QStringLiteral("no-such-config.json");
    QTest::newRow("bad json") << QStringLiteral("{\"name\": ") << QStringLiteral("bad.json");
    QTest::newRow("unknown key") << QStringLiteral("{\"name\": \"x\", \"trainingg\": {}}")
                                 << QStringLiteral("trainingg");
}

void TestExperimentController::errorsComeBackAsMessages()
{
    QFETCH(QString, config);
    QFETCH(QString, mentions);
    QString path = QString::fromStdString((m_dir / "no-such-config.json").string());
    if (config.startsWith(QLatin1Char('{'))) {
        path = QString::fromStdString((m_dir / "bad.json").string());
        test::writeText(path.toStdString(), config.toStdString());
    }
    ExperimentController controller;
    QSignalSpy failed(&controller, &ExperimentController::failed);
    QVERIFY(controller.start(path, {}, QString::fromStdString((m_dir / "run-bad").string())));
    QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kFinishMs);
    const QString message = failed.first().at(0).toString() + failed.first().at(1).toString();
    QVERIFY2(message.contains(mentions), qPrintable(message));
    QVERIFY(!controller.isBusy());
    QVERIFY(!fs::exists(m_dir / "run-bad")); // nothing was written
}

POISONLAB_TEST_MAIN(TestExperimentController)
#include "tst_experimentcontroller.moc"
