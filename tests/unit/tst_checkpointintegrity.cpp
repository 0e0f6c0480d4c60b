// Checkpoints a resume can trust (issue #18): a checkpoint whose bytes were flipped is caught by
// the checksum written with it, named, set aside, and the resume falls back to the one before it
// (then trains to the uninterrupted run's losses); with none intact the resume refuses, naming
// each; a checkpoint write that fails part way (disk full, EIO, injected through the write hook)
// leaves the previous checkpoint intact, says so, and the run resumes from it.
#include "TestSupport.h"
#include "TinyTraining.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/train/Trainer.h"

#include <cerrno>
#include <fstream>

using namespace poisonlab;
using namespace poisonlab::train;
namespace fs = std::filesystem;

namespace {

TrainOptions options()
{
    TrainOptions o = test::tinyTrainingOptions();
    o.checkpointEverySteps = 2;
    o.keepCheckpoints = 3;
    return o;
}

Trainer makeTrainer()
{
    return Trainer(test::tinyTrainingModel(), test::tinyTrainingPairs(32), std::make_shared<test::PatternImages>(),
                   options());
}

/// Trains until `stopAfter` steps are reported, then cancels (a checkpoint is written).
std::vector<double> runUntil(Trainer &t, long long stopAfter)
{
    CallbackProgress *self = nullptr;
    CallbackProgress progress([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= stopAfter)
            self->cancel();
    });
    self = &progress;
    try {
        return t.run(progress).stepLosses;
    } catch (const CancelledError &) {
    }
    return {};
}

void flipByte(const fs::path &file, std::size_t offsetFromEnd)
{
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(0, std::ios::end);
    const auto size = std::size_t(f.tellg());
    f.seekg(std::streamoff(size - offsetFromEnd));
    char c = 0;
    f.read(&c, 1);
    c = char(c ^ 0x5a);
    f.seekp(std::streamoff(size - offsetFromEnd));
    f.write(&c, 1);
}

fs::path stepFile(const fs::path &dir, long long step)
{
    char name[64];
    std::snprintf(name, sizeof name, "step-%010lld.ckpt", step);
    return dir / name;
}

std::vector<double> uninterrupted()
{
    test::TempDir dir;
    Trainer t = makeTrainer();
    t.setCheckpointDir(dir.path());
    NullProgress quiet;
    return t.run(quiet).stepLosses;
}

} // namespace

class TestCheckpointIntegrity : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void cleanup() { setWriteFaultForTesting({}); }
    void damagedCheckpointFallsBackToThePreviousOne_data();
    void damagedCheckpointFallsBackToThePreviousOne();
    void noIntactCheckpointIsRefusedByName();
    void failedWriteKeepsThePreviousCheckpoint_data();
    void failedWriteKeepsThePreviousCheckpoint();
};

void TestCheckpointIntegrity::damagedCheckpointFallsBackToThePreviousOne_data()
{
    QTest::addColumn<int>("offsetFromEnd");
    QTest::newRow("a byte near the end (the metadata record)") << 40;
    QTest::newRow("a byte in the middle (the weights)") << 20000;
}

void TestCheckpointIntegrity::damagedCheckpointFallsBackToThePreviousOne()
{
    QFETCH(int, offsetFromEnd);
    const std::vector<double> expected = uninterrupted();
    test::TempDir dir;
    {
        Trainer first = makeTrainer();
        first.setCheckpointDir(dir.path());
        runUntil(first, 6); // checkpoints at steps 2, 4, 6
    }
    QVERIFY(fs::exists(stepFile(dir.path(), 6)) && fs::exists(stepFile(dir.path(), 4)));
    flipByte(stepFile(dir.path(), 6), std::size_t(offsetFromEnd));

    Trainer resumed = makeTrainer();
    resumed.resume(dir.path());
    QCOMPARE(resumed.resumedFromStep(), 4LL);
    QCOMPARE(resumed.resumeWarnings().size(), std::size_t(1));
    const QString warning = QString::fromStdString(resumed.resumeWarnings().front());
    QVERIFY2(warning.contains("step-0000000006.ckpt") && warning.contains("CRC-32") &&
                 warning.contains("resumed from step-0000000004.ckpt"),
             qPrintable(warning));
    // Set aside, not deleted: nothing saved is lost.
    QVERIFY(fs::exists(dir / "step-0000000006.ckpt.damaged"));
    QVERIFY(!fs::exists(stepFile(dir.path(), 6)));
    NullProgress quiet;
    const std::vector<double> rest = resumed.run(quiet).stepLosses;
    QCOMPARE(rest, std::vector<double>(expected.begin() + 4, expected.end()));
}

void TestCheckpointIntegrity::noIntactCheckpointIsRefusedByName()
{
    test::TempDir dir;
    {
        Trainer first = makeTrainer();
        first.setCheckpointDir(dir.path());
        runUntil(first, 4); // steps 2 and 4
    }
    flipByte(stepFile(dir.path(), 4), 100);
    flipByte(stepFile(dir.path(), 2), 100);
    Trainer resumed = makeTrainer();
    try {
        resumed.resume(dir.path());
        QFAIL("a resume from damaged checkpoints went ahead");
    } catch (const Error &e) {
        const std::string what = e.what();
        QVERIFY2(what.find("holds no intact training checkpoint") != std::string::npos &&
                     what.find("step-0000000004.ckpt") != std::string::npos &&
                     what.find("step-0000000002.ckpt") != std::string::npos,
                 e.what());
    }
}

void TestCheckpointIntegrity::failedWriteKeepsThePreviousCheckpoint_data()
{
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("message");
    QTest::newRow("disk full") << ENOSPC << "No space left on device";
    QTest::newRow("I/O error") << EIO << "Input/output error";
}

void TestCheckpointIntegrity::failedWriteKeepsThePreviousCheckpoint()
{
    QFETCH(int, error);
    QFETCH(QString, message);
    const std::vector<double> expected = uninterrupted();
    test::TempDir dir;
    Trainer t = makeTrainer();
    t.setCheckpointDir(dir.path());
    // The step-4 checkpoint's write fails part way: after its first 1 MB chunk is on disk.
    setWriteFaultForTesting([&](const fs::path &path, std::size_t written) {
        return path.filename() == "step-0000000004.ckpt" && written > 0 ? error : 0;
    });
    NullProgress quiet;
    try {
        t.run(quiet);
        QFAIL("a failed checkpoint write went unnoticed");
    } catch (const Error &e) {
        const QString what = QString::fromUtf8(e.what());
        QVERIFY2(what.contains("step-0000000004.ckpt") && what.contains(message) &&
                     what.contains("the previous checkpoint step-0000000002.ckpt is intact"),
                 e.what());
    }
    setWriteFaultForTesting({});
    // No half-written file is left, latest.json still names step 2, and the run resumes from it.
    for (const auto &entry : fs::directory_iterator(dir.path()))
        QVERIFY2(entry.path().filename().string().find(".tmp-") == std::string::npos, entry.path().c_str());
    QVERIFY(!fs::exists(stepFile(dir.path(), 4)));
    Trainer resumed = makeTrainer();
    resumed.resume(dir.path());
    QCOMPARE(resumed.resumedFromStep(), 2LL);
    QVERIFY(resumed.resumeWarnings().empty());
    const std::vector<double> rest = resumed.run(quiet).stepLosses;
    QCOMPARE(rest, std::vector<double>(expected.begin() + 2, expected.end()));
}

POISONLAB_TEST_MAIN(TestCheckpointIntegrity)
#include "tst_checkpointintegrity.moc"
