// DatasetController: opening runs on the controller's thread, reports progress, can be
// cancelled, reports errors naming the file, and a newer open() supersedes an older one.
#include "TestSupport.h"
#include "UiTestData.h"

#include "dataset/DatasetController.h"
#include "poisonlab/core/Error.h"

#include <QThread>

#include <atomic>
#include <thread>

using namespace poisonlab;
using poisonlab::ui::DatasetController;
using poisonlab::ui::DatasetPtr;

class TestDatasetController : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void opensInTheBackground();
    void cancelStopsOpening();
    void errorsNameTheFile();
    void newerOpenSupersedesOlder();
    void destroyingWhileBusyStopsTheWork();
};

namespace {

// "slow": reports progress until cancelled; "fail": throws; otherwise returns the golden dataset.
data::Dataset fakeLoader(const data::DatasetSource &source, ProgressReporter &progress,
                         std::atomic<Qt::HANDLE> *thread = nullptr)
{
    if (thread)
        *thread = QThread::currentThreadId();
    if (source.format == "fail")
        throw Error(source.root / "captions.json", "line 3: expected ','");
    if (source.format == "slow") {
        for (long long i = 0;; ++i) {
            progress.report(ProgressEvent{"reading", i, 0, "record " + std::to_string(i), {}});
            progress.throwIfCancelled();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
    }
    progress.report(ProgressEvent{"reading", 1, 1, {}, {}});
    return *test::goldenDataset();
}

data::DatasetSource sourceOf(const std::string &format)
{
    data::DatasetSource s;
    s.format = format;
    s.root = "/data/set";
    return s;
}

} // namespace

void TestDatasetController::opensInTheBackground()
{
    std::atomic<Qt::HANDLE> loaderThread{nullptr};
    DatasetController controller(
        nullptr, [&](const data::DatasetSource &s, ProgressReporter &p) { return fakeLoader(s, p, &loaderThread); });
    QSignalSpy opened(&controller, &DatasetController::opened);
    QSignalSpy busy(&controller, &DatasetController::busyChanged);
    controller.open(sourceOf("ok"));
    QVERIFY(controller.isBusy());
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY(!controller.isBusy());
    QCOMPARE(busy.count(), 2);
    const auto dataset = opened.first().at(0).value<DatasetPtr>();
    QVERIFY(dataset);
    QCOMPARE(dataset->captions.size(), size_t(10));
    QVERIFY(loaderThread.load() != QThread::currentThreadId()); // not on the GUI thread
}

void TestDatasetController::cancelStopsOpening()
{
    DatasetController controller(nullptr,
                                 [](const data::DatasetSource &s, ProgressReporter &p) { return fakeLoader(s, p); });
    QSignalSpy progress(&controller, &DatasetController::progress);
    QSignalSpy cancelled(&controller, &DatasetController::cancelled);
    QSignalSpy opened(&controller, &DatasetController::opened);
    controller.open(sourceOf("slow"));
    QTRY_VERIFY(progress.count() >= 1); // it is running and reporting
    QCOMPARE(progress.first().at(0).toString(), QString("reading"));
    controller.cancel();
    QTRY_COMPARE(cancelled.count(), 1); // would time out if cancellation were ignored
    QCOMPARE(opened.count(), 0);
    QVERIFY(!controller.isBusy());
}

void TestDatasetController::errorsNameTheFile()
{
    DatasetController controller(nullptr,
                                 [](const data::DatasetSource &s, ProgressReporter &p) { return fakeLoader(s, p); });
    QSignalSpy failed(&controller, &DatasetController::failed);
    controller.open(sourceOf("fail"));
    QTRY_COMPARE(failed.count(), 1);
    QVERIFY(failed.first().at(0).toString().contains("captions.json"));
    QVERIFY(failed.first().at(0).toString().contains("line 3"));
    QCOMPARE(failed.first().at(1).toString(), QString("/data/set/captions.json"));
}

void TestDatasetController::newerOpenSupersedesOlder()
{
    DatasetController controller(nullptr,
                                 [](const data::DatasetSource &s, ProgressReporter &p) { return fakeLoader(s, p); });
    QSignalSpy opened(&controller, &DatasetController::opened);
    QSignalSpy cancelled(&controller, &DatasetController::cancelled);
    controller.open(sourceOf("slow"));
    controller.open(sourceOf("ok"));
    QTRY_COMPARE(opened.count(), 1);
    QTest::qWait(30);
    QCOMPARE(cancelled.count(), 0); // the superseded job ends silently
    QVERIFY(!controller.isBusy());
}

void TestDatasetController::destroyingWhileBusyStopsTheWork()
{
    auto controller = std::make_unique<DatasetController>(
        nullptr, [](const data::DatasetSource &s, ProgressReporter &p) { return fakeLoader(s, p); });
    QSignalSpy progress(controller.get(), &DatasetController::progress);
    controller->open(sourceOf("slow"));
    QTRY_VERIFY(progress.count() >= 1);
    QElapsedTimer clock;
    clock.start();
    controller.reset(); // cancels, quits and joins its thread; would hang otherwise
    QVERIFY(clock.elapsed() < 5000);
}

POISONLAB_TEST_MAIN(TestDatasetController)
#include "tst_datasetcontroller.moc"
