// subscribeToLog(): core's spdlog messages reach listeners as plain LogEntry values, from any
// thread, until the subscription dies; initLogging() and a replaced default logger keep them.
#include "TestSupport.h"

#include "poisonlab/core/LogListener.h"
#include "poisonlab/core/Logging.h"

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

using namespace poisonlab;

namespace {
/// Collects entries under a lock (listeners run on the logging threads).
struct Collector {
    std::mutex mutex;
    std::vector<LogEntry> entries;

    LogSubscription subscribe()
    {
        return subscribeToLog([this](const LogEntry &e) {
            std::lock_guard lock(mutex);
            entries.push_back(e);
        });
    }
    std::vector<LogEntry> take()
    {
        std::lock_guard lock(mutex);
        return entries;
    }
};

void useQuietLogger(const std::string &name)
{
    auto logger = std::make_shared<spdlog::logger>(name, std::make_shared<spdlog::sinks::null_sink_mt>());
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}
} // namespace

class TestLogListener : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void deliversFromSeveralThreads();
    void deliversEachLevel_data();
    void deliversEachLevel();
    void nothingArrivesAfterTheSubscriptionDies();
    void twoSubscribersBothReceive();
    void unsubscribingWhileAnotherThreadLogs();
    void messagesLoggedByACallbackAreDropped();
    void survivesInitLogging();
    void reattachesToAReplacedDefaultLogger();
};

void TestLogListener::init()
{
    useQuietLogger("tst");
}

void TestLogListener::deliversFromSeveralThreads()
{
    Collector collector;
    LogSubscription subscription = collector.subscribe();
    QVERIFY(subscription.active());
    constexpr int threads = 4, perThread = 250;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([t] {
            for (int i = 0; i < perThread; ++i)
                spdlog::warn("worker {} line {}", t, i);
        });
    for (auto &w : workers)
        w.join();
    const std::vector<LogEntry> got = collector.take();
    QCOMPARE(int(got.size()), threads * perThread);
    std::set<std::string> texts, threadIds;
    const auto now =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    for (const LogEntry &e : got) {
        QCOMPARE(e.level, 3);
        QCOMPARE(e.logger, std::string("tst"));
        QVERIFY(e.msSinceEpoch > now - 60'000 && e.msSinceEpoch <= now);
        QVERIFY(!e.thread.empty());
        texts.insert(e.message);
        threadIds.insert(e.thread);
    }
    QCOMPARE(int(texts.size()), threads * perThread); // every line, each once
    QVERIFY(texts.count("worker 3 line 249") == 1);
    QCOMPARE(int(threadIds.size()), threads);
}

void TestLogListener::deliversEachLevel_data()
{
    QTest::addColumn<int>("level");
    QTest::newRow("trace") << 0;
    QTest::newRow("debug") << 1;
    QTest::newRow("info") << 2;
    QTest::newRow("warning") << 3;
    QTest::newRow("error") << 4;
    QTest::newRow("critical") << 5;
}

void TestLogListener::deliversEachLevel()
{
    QFETCH(int, level);
    Collector collector;
    LogSubscription subscription = collector.subscribe();
    spdlog::log(static_cast<spdlog::level::level_enum>(level), "at level {}", level);
    const std::vector<LogEntry> got = collector.take();
    QCOMPARE(int(got.size()), 1);
    QCOMPARE(got[0].level, level);
    QCOMPARE(got[0].message, "at level " + std::to_string(level));
}

void TestLogListener::nothingArrivesAfterTheSubscriptionDies()
{
    Collector collector;
    {
        LogSubscription subscription = collector.subscribe();
        spdlog::info("heard");
    }
    spdlog::info("not heard");
    LogSubscription moved = collector.subscribe();
    LogSubscription target = std::move(moved);
    QVERIFY(!moved.active());
    spdlog::info("heard through the moved handle");
    target.reset();
    QVERIFY(!target.active());
    spdlog::info("not heard either");
    const std::vector<LogEntry> got = collector.take();
    QCOMPARE(int(got.size()), 2);
    QCOMPARE(got[0].message, std::string("heard"));
    QCOMPARE(got[1].message, std::string("heard through the moved handle"));
}

void TestLogListener::twoSubscribersBothReceive()
{
    Collector a, b;
    LogSubscription sa = a.subscribe();
    LogSubscription sb = b.subscribe();
    spdlog::error("to both");
    sa.reset();
    spdlog::error("to b only");
    QCOMPARE(int(a.take().size()), 1);
    const std::vector<LogEntry> got = b.take();
    QCOMPARE(int(got.size()), 2);
    QCOMPARE(got[0].message, std::string("to both"));
    QCOMPARE(got[1].message, std::string("to b only"));
}

void TestLogListener::unsubscribingWhileAnotherThreadLogs()
{
    // The first subscription swaps spdlog's default logger (init() installed one without the
    // forwarding sink); spdlog forbids that while another thread logs, so it happens first.
    LogSubscription attached = subscribeToLog([](const LogEntry &) {});
    std::atomic<bool> stop{false};
    std::thread logger([&stop] {
        while (!stop.load())
            spdlog::info("busy");
    });
    std::atomic<int> callsAfterDeath{0};
    int delivered = 0;
    for (int round = 0; round < 200; ++round) {
        auto dead = std::make_unique<std::atomic<bool>>(false);
        std::atomic<int> calls{0};
        LogSubscription subscription = subscribeToLog([&calls, &callsAfterDeath, flag = dead.get()](const LogEntry &) {
            if (flag->load())
                ++callsAfterDeath;
            ++calls;
        });
        while (calls.load() == 0 && round % 2 == 0)
            std::this_thread::yield();
        subscription.reset(); // returns only once no call is running
        dead->store(true);
        delivered += calls.load();
        dead.reset(); // the callback's flag is gone: a late call would read freed memory
    }
    stop = true;
    logger.join();
    QCOMPARE(callsAfterDeath.load(), 0);
    QVERIFY(delivered >= 100);
}

void TestLogListener::messagesLoggedByACallbackAreDropped()
{
    std::atomic<int> calls{0};
    LogSubscription subscription = subscribeToLog([&calls](const LogEntry &) {
        ++calls;
        spdlog::warn("logged from inside a listener"); // must neither recurse nor deadlock
    });
    spdlog::info("once");
    QCOMPARE(calls.load(), 1);
}

void TestLogListener::survivesInitLogging()
{
    test::TempDir dir;
    const char *old = std::getenv("POISONLAB_DATA_DIR");
    const std::string saved = old ? old : "";
    ::setenv("POISONLAB_DATA_DIR", dir.path().c_str(), 1);
    Collector collector;
    LogSubscription subscription = collector.subscribe();
    initLogging("tst-loglistener", "off");
    spdlog::debug("after initLogging");
    useQuietLogger("tst"); // closes the log file before the folder goes
    if (old)
        ::setenv("POISONLAB_DATA_DIR", saved.c_str(), 1);
    else
        ::unsetenv("POISONLAB_DATA_DIR");
    const std::vector<LogEntry> got = collector.take();
    QCOMPARE(int(got.size()), 1);
    QCOMPARE(got[0].logger, std::string("tst-loglistener"));
    QCOMPARE(got[0].level, 1);
    QCOMPARE(got[0].message, std::string("after initLogging"));
}

void TestLogListener::reattachesToAReplacedDefaultLogger()
{
    Collector first;
    LogSubscription s1 = first.subscribe();
    useQuietLogger("replacement"); // knows nothing of the forwarding sink
    Collector second;
    LogSubscription s2 = second.subscribe(); // attaches it again
    spdlog::info("after the swap");
    QCOMPARE(int(first.take().size()), 1);
    QCOMPARE(int(second.take().size()), 1);
    QCOMPARE(second.take()[0].logger, std::string("replacement"));
}

POISONLAB_TEST_MAIN(TestLogListener)
#include "tst_loglistener.moc"
