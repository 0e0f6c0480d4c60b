// A run cancelled mid-way (mid-epoch and at an epoch end) and resumed by a fresh Trainer on a
// fresh model gives exactly the per-step losses of an uninterrupted run (CPU, bit for bit).
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/train/Trainer.h"

#include <torch/torch.h>

using namespace poisonlab;
using namespace poisonlab::train;

namespace {

constexpr int kVocab = 64;
constexpr int kContext = 8;

clip::ClipModel tinyModel(std::uint64_t seed, int layers = 1)
{
    clip::ClipConfig c;
    c.embedDim = 16;
    c.imageResolution = 32;
    c.visionLayers = {layers};
    c.visionWidth = 64;
    c.visionPatchSize = 8;
    c.contextLength = kContext;
    c.vocabSize = kVocab;
    c.transformerWidth = 32;
    c.transformerHeads = 2;
    c.transformerLayers = 1;
    torch::manual_seed(seed);
    return clip::ClipModel(c);
}

class SyntheticImages final : public ImageSource {
public:
    torch::Tensor load(const std::vector<int> &images) override
    {
        auto out = torch::empty({std::int64_t(images.size()), 32, 32, 3}, torch::kUInt8);
        auto a = out.accessor<std::uint8_t, 4>();
        for (size_t b = 0; b < images.size(); ++b)
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch)
                        a[long(b)][y][x][ch] =
                            std::uint8_t((images[b] % 4 == ch ? 180 : 30) + (x * 5 + y * 11 + images[b] * 3) % 37);
        return out;
    }
    int resolution() const override { return 32; }
};

TrainingPairs pairs(int n)
{
    TrainingPairs p;
    p.tokens = torch::zeros({n, kContext}, torch::kInt64);
    for (int i = 0; i < n; ++i) {
        p.images.push_back(i);
        p.tokens[i][0] = kVocab - 2;
        p.tokens[i][1] = 1 + i % 4;
        p.tokens[i][2] = 10 + i % 5;
        p.tokens[i][3] = kVocab - 1;
    }
    return p;
}

TrainOptions options()
{
    TrainOptions o;
    o.epochs = 3;
    o.batchSize = 6;
    o.learningRate = 5e-4;
    o.warmupSteps = 3;
    o.seed = 17;
    o.checkpointEverySteps = 4;
    o.keepCheckpoints = 3;
    return o;
}

/// Runs until `stopAfter` steps are reported, then cancels; returns the losses seen.
std::vector<double> runUntilCancelled(Trainer &t, long long stopAfter)
{
    CallbackProgress *self = nullptr;
    CallbackProgress progress([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done >= stopAfter)
            self->cancel();
    });
    self = &progress;
    MemoryMetricsSink sink;
    t.setMetricsSink(&sink);
    try {
        t.run(progress);
    } catch (const CancelledError &) {
    }
    std::vector<double> losses;
    for (const auto &r : sink.steps())
        losses.push_back(r.at("loss").get<double>());
    t.setMetricsSink(nullptr);
    return losses;
}

} // namespace

class TestResume : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void resumedRunMatchesUninterrupted_data();
    void resumedRunMatchesUninterrupted();
    void resumeRejectsAnotherSetup();
};

void TestResume::resumedRunMatchesUninterrupted_data()
{
    QTest::addColumn<long long>("stopAfter");
    QTest::newRow("mid-epoch") << 5LL; // 40 pairs / 6 -> 7 steps per epoch
    QTest::newRow("at an epoch end") << 7LL;
    QTest::newRow("in the last epoch, twice") << 16LL;
}

void TestResume::resumedRunMatchesUninterrupted()
{
    QFETCH(long long, stopAfter);
    NullProgress quiet;
    Trainer reference(tinyModel(1), pairs(40), std::make_shared<SyntheticImages>(), options());
    const TrainSummary full = reference.run(quiet);
    QCOMPARE(full.stepLosses.size(), size_t(21));

    test::TempDir dir;
    std::vector<double> losses;
    {
        Trainer first(tinyModel(1), pairs(40), std::make_shared<SyntheticImages>(), options());
        first.setCheckpointDir(dir.path());
        losses = runUntilCancelled(first, stopAfter);
        QCOMPARE((long long)losses.size(), stopAfter);
    }
    long long resumedAt = stopAfter;
    if (stopAfter == 16) {
        // Resume, get cancelled again two steps later, resume again.
        Trainer second(tinyModel(2), pairs(40), std::make_shared<SyntheticImages>(), options());
        second.resume(dir.path());
        QCOMPARE(second.globalStep(), 16LL);
        auto more = runUntilCancelled(second, 18);
        losses.insert(losses.end(), more.begin(), more.end());
        resumedAt = 18;
    }
    // A fresh model with other weights: everything must come from the checkpoint.
    Trainer resumed(tinyModel(99), pairs(40), std::make_shared<SyntheticImages>(), options());
    resumed.resume(dir.path());
    QCOMPARE(resumed.globalStep(), resumedAt);
    const TrainSummary rest = resumed.run(quiet);
    losses.insert(losses.end(), rest.stepLosses.begin(), rest.stepLosses.end());
    QCOMPARE(losses.size(), full.stepLosses.size());
    for (size_t i = 0; i < losses.size(); ++i)
        QVERIFY2(losses[i] == full.stepLosses[i], qPrintable(QString("step %1: %2 vs %3")
                                                                 .arg(i + 1)
                                                                 .arg(losses[i], 0, 'g', 17)
                                                                 .arg(full.stepLosses[i], 0, 'g', 17)));
    // The final weights agree too.
    auto a = reference.model()->named_parameters();
    auto b = resumed.model()->named_parameters();
    for (const auto &item : a)
        QVERIFY2(torch::equal(item.value(), b[item.key()]), item.key().c_str());
    QCOMPARE(rest.epochsDone, 3);
}

void TestResume::resumeRejectsAnotherSetup()
{
    test::TempDir dir;
    {
        Trainer first(tinyModel(1), pairs(40), std::make_shared<SyntheticImages>(), options());
        first.setCheckpointDir(dir.path());
        runUntilCancelled(first, 2);
    }
    auto expectError = [](auto fn, const char *needle) {
        try {
            fn();
            QFAIL("expected poisonlab::Error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        }
    };
    TrainOptions otherLr = options();
    otherLr.learningRate = 1e-3;
    expectError(
        [&] {
            Trainer t(tinyModel(1), pairs(40), std::make_shared<SyntheticImages>(), otherLr);
            t.resume(dir.path());
        },
        "learningRate");
    expectError(
        [&] {
            Trainer t(tinyModel(1), pairs(30), std::make_shared<SyntheticImages>(), options());
            t.resume(dir.path());
        },
        "training set of 40 pairs");
    expectError(
        [&] {
            Trainer t(tinyModel(1, 2), pairs(40), std::make_shared<SyntheticImages>(), options());
            t.resume(dir.path());
        },
        "checkpoint of another model");
}

POISONLAB_TEST_MAIN(TestResume)
#include "tst_resume.moc"
