// Cancellation and progress reporting of the engine's interface, without any GUI.
#include "TestSupport.h"

#include "cli/RunProgressPrinter.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"

#include <sstream>

#include <thread>

using namespace poisonlab;

class TestProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void callbackReceivesEvents();
    void cancelFromAnotherThreadStopsWork();
    void nullProgressNeverCancels();
    void printerShowsStepsAndEpochEnds_data();
    void printerShowsStepsAndEpochEnds();
    void printerShowsARepeatedMessageOnce_data();
    void printerShowsARepeatedMessageOnce();
};

void TestProgress::callbackReceivesEvents()
{
    std::vector<ProgressEvent> seen;
    CallbackProgress progress([&](const ProgressEvent &e) { seen.push_back(e); });
    ProgressEvent e;
    e.stage = "train";
    e.done = 3;
    e.total = 10;
    e.values["loss"] = 0.5;
    progress.report(e);
    QCOMPARE(seen.size(), size_t(1));
    QCOMPARE(seen[0].stage, std::string("train"));
    QCOMPARE(seen[0].values.at("loss"), 0.5);
}

void TestProgress::cancelFromAnotherThreadStopsWork()
{
    CallbackProgress progress;
    std::atomic<long long> units{0};
    std::thread worker([&] {
        try {
            for (;;) {
                progress.throwIfCancelled();
                ++units;
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
        } catch (const CancelledError &) {
        }
    });
    while (units.load() < 5)
        std::this_thread::yield();
    progress.cancel();
    worker.join(); // would hang forever if cancellation were ignored
    QVERIFY(progress.wasCancelled());
    QVERIFY(units.load() >= 5);
}

void TestProgress::nullProgressNeverCancels()
{
    NullProgress p;
    QVERIFY(!p.wasCancelled());
    p.throwIfCancelled();
}

void TestProgress::printerShowsStepsAndEpochEnds_data()
{
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("keys"); // "epoch,loss,lr,samples_per_s,eta_s" or "epoch,mean_loss"
    QTest::addColumn<QString>("expected");
    QTest::newRow("step") << "epoch 2/5"
                          << "epoch,loss,lr,samples_per_s,eta_s"
                          << "[train] step 10/10  epoch 2  loss 1.2500  lr 5.00e-04  400 samples/s  ETA 3s\n";
    // The epoch's end carries its mean loss, not a step's values (no "loss 0.0000  0 samples/s").
    QTest::newRow("epoch end") << "epoch 2 done"
                               << "epoch,mean_loss"
                               << "[train] epoch 2 done  mean loss 0.7500\n";
}

void TestProgress::printerShowsStepsAndEpochEnds()
{
    QFETCH(QString, message);
    QFETCH(QString, keys);
    QFETCH(QString, expected);
    const std::map<std::string, double> all{{"epoch", 2},           {"loss", 1.25}, {"lr", 5e-4},
                                            {"samples_per_s", 400}, {"eta_s", 3},   {"mean_loss", 0.75}};
    ProgressEvent e;
    e.stage = "train";
    e.done = e.total = 10; // the last step is always printed
    e.message = message.toStdString();
    for (const QString &k : keys.split(','))
        e.values[k.toStdString()] = all.at(k.toStdString());
    std::ostringstream out;
    cli::RunProgressPrinter printer(out);
    printer.print(e);
    QCOMPARE(QString::fromStdString(out.str()), expected);
}

void TestProgress::printerShowsARepeatedMessageOnce_data()
{
    // events: "stage:message" separated by '|'; "train:" is a training step (always printed last)
    QTest::addColumn<QString>("events");
    QTest::addColumn<QString>("expected");
    QTest::newRow("chunks of one stage") << "evaluate:embedding captions|evaluate:embedding captions|"
                                            "evaluate:embedding captions"
                                         << "[evaluate] embedding captions\n";
    QTest::newRow("another message between")
        << "evaluate:embedding images|evaluate:embedding captions|evaluate:embedding images"
        << "[evaluate] embedding images\n[evaluate] embedding captions\n[evaluate] embedding images\n";
    QTest::newRow("same message, other stage") << "analyze:embedding captions|evaluate:embedding captions"
                                               << "[analyze] embedding captions\n[evaluate] embedding captions\n";
    QTest::newRow("again after training")
        << "evaluate:embedding captions|train:|evaluate:embedding captions"
        << "[evaluate] embedding captions\n"
           "[train] step 1/1  epoch 0  loss 0.0000  lr 0.00e+00  0 samples/s  ETA 0s\n"
           "[evaluate] embedding captions\n";
    QTest::newRow("events without a message") << "evaluate:|evaluate:embedding captions|evaluate:"
                                              << "[evaluate] embedding captions\n";
}

void TestProgress::printerShowsARepeatedMessageOnce()
{
    QFETCH(QString, events);
    QFETCH(QString, expected);
    std::ostringstream out;
    cli::RunProgressPrinter printer(out);
    for (const QString &ev : events.split('|')) {
        ProgressEvent e;
        e.stage = ev.section(':', 0, 0).toStdString();
        e.message = ev.section(':', 1).toStdString();
        e.done = e.total = 1;
        printer.print(e);
    }
    QCOMPARE(QString::fromStdString(out.str()), expected);
}

POISONLAB_TEST_MAIN(TestProgress)
#include "tst_progress.moc"
