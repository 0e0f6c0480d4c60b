// The log pane: core's spdlog messages logged on worker threads reach LogModel on the GUI
// thread in batches (LogSink), the level filter hides lower levels, Copy puts the visible lines
// on the clipboard, the ring keeps the newest entries, and a pane dies safely mid-logging.
#include "TestSupport.h"

#include "log/LogModel.h"
#include "log/LogPane.h"
#include "log/LogSink.h"

#include <QClipboard>
#include <QComboBox>
#include <QGuiApplication>
#include <QListView>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <thread>

using poisonlab::LogEntry;
using poisonlab::ui::LogModel;
using poisonlab::ui::LogPane;

namespace {
LogEntry entry(int level, const std::string &message)
{
    LogEntry e;
    e.level = level;
    e.message = message;
    e.logger = "tst";
    e.msSinceEpoch = 1764758484123; // 2025-12-03 10:41:24.123 UTC
    return e;
}
} // namespace

class TestLogPane : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void entriesFromAWorkerThreadAppear();
    void severalThreadsLoggingAtOnceLoseNothing();
    void aBurstIsOneBatch();
    void levelFilterHidesLowerLevels_data();
    void levelFilterHidesLowerLevels();
    void copyPutsVisibleLinesOnTheClipboard();
    void ringKeepsTheNewest_data();
    void ringKeepsTheNewest();
    void destroyingThePaneWhileAThreadLogs();
    void screenshot();
};

void TestLogPane::initTestCase()
{
    auto logger = std::make_shared<spdlog::logger>("tst", std::make_shared<spdlog::sinks::null_sink_mt>());
    logger->set_level(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

void TestLogPane::entriesFromAWorkerThreadAppear()
{
    LogPane pane;
    std::thread worker([] {
        spdlog::info("from the worker");
        spdlog::error("an error from the worker");
    });
    worker.join();
    QCOMPARE(pane.model()->rowCount(), 0); // nothing arrives synchronously
    QTRY_COMPARE(pane.model()->rowCount(), 2);
    QCOMPARE(pane.model()->index(0).data(LogModel::MessageRole).toString(), QStringLiteral("from the worker"));
    QCOMPARE(pane.model()->index(1).data(LogModel::LevelRole).toInt(), 4);
    QCOMPARE(pane.model()->index(1).data(LogModel::LoggerRole).toString(), QStringLiteral("tst"));
    QVERIFY(pane.model()->index(1).data().toString().contains(QStringLiteral("error     an error from the worker")));
}

// Four threads log at once while the GUI thread flushes batches: every line arrives once, and
// each thread's lines keep their order (also run under ThreadSanitizer: ./scripts/test.sh --tsan).
void TestLogPane::severalThreadsLoggingAtOnceLoseNothing()
{
    constexpr int threads = 4, perThread = 300;
    LogPane pane(nullptr, threads * perThread);
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t)
        workers.emplace_back([t] {
            for (int i = 0; i < perThread; ++i)
                spdlog::info("{} {}", t, i);
        });
    QTRY_COMPARE(pane.model()->rowCount(), threads * perThread); // flushed while they log
    for (auto &w : workers)
        w.join();
    QCOMPARE(pane.sink()->droppedCount(), std::uint64_t(0));
    std::vector<int> next(threads, 0);
    for (int row = 0; row < pane.model()->rowCount(); ++row) {
        const QStringList parts = pane.model()->index(row).data(LogModel::MessageRole).toString().split(' ');
        QCOMPARE(parts.size(), 2);
        const int t = parts[0].toInt(), i = parts[1].toInt();
        QCOMPARE(i, next[t]++); // each line once, in its thread's order
    }
    for (int t = 0; t < threads; ++t)
        QCOMPARE(next[t], perThread);
}

void TestLogPane::aBurstIsOneBatch()
{
    LogPane pane(nullptr, 5000);
    std::thread worker([] {
        for (int i = 1; i <= 100000; ++i)
            spdlog::debug("line {}", i);
    });
    worker.join(); // the GUI thread was busy the whole burst: one flush was posted
    QTRY_COMPARE(pane.model()->rowCount(), 5000);
    QCOMPARE(pane.sink()->flushCount(), 1);
    QCOMPARE(pane.sink()->droppedCount(), std::uint64_t(95000));
    QCOMPARE(pane.model()->index(4999).data(LogModel::MessageRole).toString(), QStringLiteral("line 100000"));
    QCOMPARE(pane.model()->index(0).data(LogModel::MessageRole).toString(), QStringLiteral("line 95001"));
}

void TestLogPane::levelFilterHidesLowerLevels_data()
{
    QTest::addColumn<int>("minimum");
    QTest::addColumn<int>("visible");
    QTest::newRow("trace") << 0 << 6;
    QTest::newRow("debug") << 1 << 5;
    QTest::newRow("info") << 2 << 4;
    QTest::newRow("warning") << 3 << 3;
    QTest::newRow("error") << 4 << 2; // error and critical
}

void TestLogPane::levelFilterHidesLowerLevels()
{
    QFETCH(int, minimum);
    QFETCH(int, visible);
    LogPane pane;
    for (int level = 0; level <= 5; ++level)
        spdlog::log(static_cast<spdlog::level::level_enum>(level), "level {}", level);
    QTRY_COMPARE(pane.model()->rowCount(), 6);
    pane.levelCombo()->setCurrentIndex(minimum);
    QCOMPARE(pane.model()->rowCount(), visible);
    for (int row = 0; row < visible; ++row)
        QVERIFY(pane.model()->index(row).data(LogModel::LevelRole).toInt() >= minimum);
    spdlog::trace("hidden at once");
    spdlog::critical("always shown");
    QTRY_COMPARE(pane.model()->entryCount(), 8);
    QCOMPARE(pane.model()->rowCount(), visible + (minimum == 0 ? 2 : 1));
    pane.setMinimumLevel(0);
    QCOMPARE(pane.model()->rowCount(), 8);
}

void TestLogPane::copyPutsVisibleLinesOnTheClipboard()
{
    LogPane pane;
    pane.model()->append({entry(1, "quiet"), entry(2, "first"), entry(3, "second"), entry(4, "third")});
    pane.setMinimumLevel(2);
    pane.copy();
    const QStringList lines = QGuiApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines[0].endsWith(QStringLiteral("info      first")));
    QVERIFY(lines[2].endsWith(QStringLiteral("error     third")));
    QCOMPARE(lines[1], pane.model()->lineText(1));
    // With a selection, only the selected lines (in row order).
    auto *selection = pane.view()->selectionModel();
    selection->select(pane.model()->index(2), QItemSelectionModel::Select);
    selection->select(pane.model()->index(0), QItemSelectionModel::Select);
    pane.copy();
    QCOMPARE(QGuiApplication::clipboard()->text(), pane.model()->lineText(0) + '\n' + pane.model()->lineText(2));
    pane.clear();
    QCOMPARE(pane.model()->rowCount(), 0);
}

void TestLogPane::ringKeepsTheNewest_data()
{
    QTest::addColumn<int>("capacity");
    QTest::addColumn<int>("batches");
    QTest::addColumn<int>("perBatch");
    QTest::newRow("fits") << 10 << 2 << 4;
    QTest::newRow("overflows across batches") << 10 << 7 << 3;
    QTest::newRow("one batch larger than the ring") << 10 << 1 << 25;
}

void TestLogPane::ringKeepsTheNewest()
{
    QFETCH(int, capacity);
    QFETCH(int, batches);
    QFETCH(int, perBatch);
    LogModel model(nullptr, capacity);
    model.setMinimumLevel(2);
    int n = 0;
    for (int b = 0; b < batches; ++b) {
        std::vector<LogEntry> batch;
        for (int i = 0; i < perBatch; ++i, ++n)
            batch.push_back(entry(n % 2 ? 1 : 2, std::to_string(n))); // odd lines are debug
        model.append(batch);
        QVERIFY(model.entryCount() <= capacity);
    }
    const int held = std::min(n, capacity);
    QCOMPARE(model.entryCount(), held);
    QCOMPARE(model.rowCount(), (held + ((n - held) % 2 == 0 ? 1 : 0)) / 2);
    QCOMPARE(model.index(model.rowCount() - 1).data(LogModel::MessageRole).toString(),
             QString::number((n - 1) % 2 ? n - 2 : n - 1));
    model.setMinimumLevel(0);
    QCOMPARE(model.rowCount(), held);
    QCOMPARE(model.index(0).data(LogModel::MessageRole).toString(), QString::number(n - held));
}

void TestLogPane::destroyingThePaneWhileAThreadLogs()
{
    std::atomic<bool> stop{false};
    std::thread worker([&stop] {
        while (!stop.load())
            spdlog::info("still logging");
    });
    for (int i = 0; i < 50; ++i) {
        auto pane = std::make_unique<LogPane>();
        QTRY_VERIFY(pane->model()->rowCount() > 0);
        pane.reset();
    }
    stop = true;
    worker.join();
    QCoreApplication::sendPostedEvents(); // nothing posted to a dead sink is delivered
}

void TestLogPane::screenshot()
{
    // A picture for docs/workbench.md when POISONLAB_LOG_PANE_SCREENSHOT names a PNG file.
    const QByteArray file = qgetenv("POISONLAB_LOG_PANE_SCREENSHOT");
    if (file.isEmpty())
        QSKIP("set POISONLAB_LOG_PANE_SCREENSHOT=FILE.png to save a screenshot");
    LogPane pane;
    pane.resize(640, 220);
    pane.model()->append({entry(2, "opening dataset demo-data/pascal (pascal-sentences)"),
                          entry(1, "tokenizer: 49408 tokens, context 77"),
                          entry(2, "attack II: 125 sheep captions moved to aeroplane images"),
                          entry(2, "epoch 1/5: loss 2.913, lr 2.5e-04, 412 samples/s"),
                          entry(3, "checkpoint folder is on a nearly full disk (1.2 GB free)"),
                          entry(2, "epoch 2/5: loss 2.417, lr 2.3e-04, 409 samples/s"),
                          entry(4, "runs/demo/results/final.json: cannot write (permission denied)")});
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QVERIFY(pane.grab().save(QString::fromLocal8Bit(file)));
}

POISONLAB_TEST_MAIN(TestLogPane)
#include "tst_logpane.moc"
