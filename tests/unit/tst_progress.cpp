// Cancellation and progress reporting of the engine's interface, without any GUI.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"

#include <thread>

using namespace poisonlab;

class TestProgress : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void callbackReceivesEvents();
    void cancelFromAnotherThreadStopsWork();
    void nullProgressNeverCancels();
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

POISONLAB_TEST_MAIN(TestProgress)
#include "tst_progress.moc"
