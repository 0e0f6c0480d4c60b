// JobRunner without a window: work runs off the GUI thread and returns its result; cancel ends a
// job with cancelled(); a superseded job's signals never come out; exceptions become failed()
// with the file they name; destroying the runner mid-job cancels and joins; progress is
// throttled except for the events the owner wants every copy of. ProgressThrottle's rules are
// checked on their own with a fake clock.
#include "TestSupport.h"

#include "jobs/JobRunner.h"
#include "jobs/ProgressThrottle.h"
#include "poisonlab/core/Error.h"

#include <QElapsedTimer>
#include <QThread>

#include <atomic>
#include <stdexcept>
#include <thread>

using namespace poisonlab;
using poisonlab::ui::JobOptions;
using poisonlab::ui::JobRunner;
using poisonlab::ui::ProgressThrottle;

class TestJobRunner : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void runsOffTheGuiThreadAndReturnsItsResult();
    void cancelEndsTheJobWithCancelled();
    void supersededJobsSignalsAreDropped();
    void exceptionsBecomeFailed_data();
    void exceptionsBecomeFailed();
    void destroyingDuringAJobCancelsAndWaits();
    void progressIsThrottledButNotTheEventsAskedFor();
    void throttleRules_data();
    void throttleRules();
};

namespace {

// Reports progress until cancelled; `exited` is set once the loop has really stopped.
JobRunner::Work untilCancelled(std::atomic<bool> *exited = nullptr)
{
    return [exited](ProgressReporter &progress) -> QVariant {
        struct Mark {
            std::atomic<bool> *flag;
            ~Mark()
            {
                if (flag)
                    flag->store(true);
            }
        } mark{exited};
        for (long long i = 0;; ++i) {
            progress.report(ProgressEvent{"loop", i, 0, {}, {}});
            progress.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    };
}

} // namespace

void TestJobRunner::runsOffTheGuiThreadAndReturnsItsResult()
{
    JobRunner runner(QStringLiteral("test"));
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy busy(&runner, &JobRunner::busyChanged);
    std::atomic<Qt::HANDLE> thread{nullptr};
    const quint64 job = runner.start([&](ProgressReporter &) {
        thread = QThread::currentThreadId();
        return QVariant(42);
    });
    QVERIFY(runner.isBusy());
    QCOMPARE(runner.currentJob(), job);
    QTRY_COMPARE(finished.count(), 1);
    QCOMPARE(finished.first().at(0).toULongLong(), job);
    QCOMPARE(finished.first().at(1).toInt(), 42);
    QVERIFY(finished.first().at(2).toDouble() >= 0);
    QVERIFY(thread.load() != nullptr && thread.load() != QThread::currentThreadId());
    QVERIFY(!runner.isBusy());
    QCOMPARE(busy.count(), 2); // true, then false
}

void TestJobRunner::cancelEndsTheJobWithCancelled()
{
    JobRunner runner(QStringLiteral("test"));
    QSignalSpy progress(&runner, &JobRunner::progress);
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy finished(&runner, &JobRunner::finished);
    std::atomic<Qt::HANDLE> detailThread{nullptr};
    JobOptions options;
    options.onCancelled = [&] {
        detailThread = QThread::currentThreadId();
        return QVariant(QStringLiteral("resumable"));
    };
    runner.start(untilCancelled(), options);
    QTRY_VERIFY(progress.count() >= 1); // running
    runner.cancel();
    QTRY_COMPARE(cancelled.count(), 1); // would time out if the cancel were ignored
    QCOMPARE(cancelled.first().at(1).toString(), QStringLiteral("resumable"));
    QVERIFY(detailThread.load() != QThread::currentThreadId()); // the follow-up ran on the job's thread
    QCOMPARE(finished.count(), 0);
    QVERIFY(!runner.isBusy());
}

void TestJobRunner::supersededJobsSignalsAreDropped()
{
    JobRunner runner(QStringLiteral("test"));
    QSignalSpy progress(&runner, &JobRunner::progress);
    QSignalSpy finished(&runner, &JobRunner::finished);
    QSignalSpy cancelled(&runner, &JobRunner::cancelled);
    QSignalSpy busy(&runner, &JobRunner::busyChanged);
    std::atomic<bool> firstExited{false};
    const quint64 first = runner.start(untilCancelled(&firstExited));
    QTRY_VERIFY(progress.count() >= 1);
    const qsizetype before = progress.count();
    const quint64 second = runner.start([](ProgressReporter &p) {
        p.report(ProgressEvent{"second", 1, 1, {}, {}});
        return QVariant(QStringLiteral("second"));
    });
    QVERIFY(second != first);
    QTRY_COMPARE(finished.count(), 1);
    QVERIFY(firstExited.load()); // the first job was cancelled, not left running
    QTest::qWait(30);            // anything late of the first job would have arrived by now
    QCOMPARE(finished.first().at(0).toULongLong(), second);
    QCOMPARE(cancelled.count(), 0); // the superseded job ends silently
    QCOMPARE(progress.count(), before + 1);
    QCOMPARE(progress.last().at(0).toULongLong(), second); // nothing of the first job after it was superseded
    QCOMPARE(progress.last().at(1).value<ProgressEvent>().stage, std::string("second"));
    QCOMPARE(busy.count(), 2); // busy throughout both jobs, idle once at the end
}

void TestJobRunner::exceptionsBecomeFailed_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QString>("file");
    QTest::newRow("core error names its file") << 0 << "line 3: expected ','"
                                               << "/data/set/captions.json";
    QTest::newRow("std::exception: the job's context file") << 1 << "bad_alloc-like"
                                                            << "/data/set";
    QTest::newRow("anything else: still an error") << 2 << "unknown error"
                                                   << "/data/set";
}

void TestJobRunner::exceptionsBecomeFailed()
{
    QFETCH(int, kind);
    QFETCH(QString, message);
    QFETCH(QString, file);
    JobRunner runner(QStringLiteral("test"));
    QSignalSpy failed(&runner, &JobRunner::failed);
    JobOptions options;
    options.contextFile = QStringLiteral("/data/set");
    runner.start(
        [kind](ProgressReporter &) -> QVariant {
            if (kind == 0)
                throw Error(std::filesystem::path("/data/set/captions.json"), "line 3: expected ','");
            if (kind == 1)
                throw std::runtime_error("bad_alloc-like");
            throw 7;
        },
        options);
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY2(failed.first().at(1).toString().contains(message), qPrintable(failed.first().at(1).toString()));
    QCOMPARE(failed.first().at(2).toString(), file);
    QVERIFY(!runner.isBusy());
}

void TestJobRunner::destroyingDuringAJobCancelsAndWaits()
{
    auto runner = std::make_unique<JobRunner>(QStringLiteral("test"));
    QSignalSpy progress(runner.get(), &JobRunner::progress);
    std::atomic<bool> exited{false};
    runner->start(untilCancelled(&exited));
    QTRY_VERIFY(progress.count() >= 1);
    QElapsedTimer clock;
    clock.start();
    runner.reset(); // would hang if the job were not cancelled
    QVERIFY(clock.elapsed() < 5000);
    QVERIFY(exited.load()); // joined: the job had ended before the destructor returned
}

void TestJobRunner::progressIsThrottledButNotTheEventsAskedFor()
{
    JobRunner runner(QStringLiteral("test"));
    QSignalSpy progress(&runner, &JobRunner::progress);
    QSignalSpy finished(&runner, &JobRunner::finished);
    JobOptions options;
    options.deliverEvery = [](const ProgressEvent &e) { return e.values.count("loss") > 0; };
    const long long n = 20000;
    runner.start(
        [n](ProgressReporter &p) {
            for (long long i = 1; i <= n; ++i) {
                p.report(ProgressEvent{"count", i, n, {}, {}});
                if (i % 200 == 0)
                    p.report(ProgressEvent{"train", i / 200, 100, {}, {{"loss", 1.0}}});
            }
            return QVariant();
        },
        options);
    QTRY_COMPARE(finished.count(), 1);
    int counted = 0;
    int losses = 0;
    ProgressEvent lastCount;
    for (const auto &args : std::as_const(progress)) {
        const auto e = args.at(1).value<ProgressEvent>();
        if (e.values.count("loss"))
            ++losses;
        else {
            ++counted;
            lastCount = e;
        }
    }
    QCOMPARE(losses, 100); // every one the owner asked for
    QVERIFY2(counted < n / 10, qPrintable(QString::number(counted)));
    QCOMPARE(lastCount.done, n); // the stage's last event always goes out
}

void TestJobRunner::throttleRules_data()
{
    // Events "stage,done,total,ms" in order; `admitted` has one 0/1 per event.
    QTest::addColumn<QString>("events");
    QTest::addColumn<QString>("admitted");
    QTest::newRow("repeats within the interval are dropped") << "s,1,100,0 s,2,100,10 s,3,100,49 s,4,100,50 s,5,100,60"
                                                             << "10010";
    QTest::newRow("a new stage goes out at once") << "s,1,0,0 t,1,0,5 s,2,0,6 s,3,0,7"
                                                  << "1110";
    QTest::newRow("the end of a stage goes out") << "s,1,3,0 s,2,3,1 s,3,3,2"
                                                 << "101";
    QTest::newRow("asked-for events pass and leave the clock alone")
        << "x,1,0,0 train,1,0,1 train,2,0,2 x,2,0,3 x,3,0,50"
        << "11101";
}

void TestJobRunner::throttleRules()
{
    QFETCH(QString, events);
    QFETCH(QString, admitted);
    ProgressThrottle throttle(50, [](const ProgressEvent &e) { return e.stage == "train"; });
    QString got;
    for (const QString &spec : events.split(' ')) {
        const QStringList f = spec.split(',');
        ProgressEvent e{f[0].toStdString(), f[1].toLongLong(), f[2].toLongLong(), {}, {}};
        got += throttle.admit(e, f[3].toLongLong()) ? '1' : '0';
    }
    QCOMPARE(got, admitted);
}

POISONLAB_TEST_MAIN(TestJobRunner)
#include "tst_jobrunner.moc"
