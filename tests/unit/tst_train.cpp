// The fine-tuning engine on a tiny CLIP and synthetic pairs: learning, determinism, the
// schedule, freezing, cancellation with a checkpoint, options JSON.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/train/Trainer.h"

#include <torch/torch.h>

using namespace poisonlab;
using namespace poisonlab::train;

namespace {

constexpr int kClasses = 4;
constexpr int kVocab = 64;
constexpr int kContext = 8;

clip::ClipConfig tinyConfig()
{
    clip::ClipConfig c;
    c.embedDim = 16;
    c.imageResolution = 32;
    c.visionLayers = {1};
    c.visionWidth = 64; // one head: OpenAI derives vision heads as width / 64
    c.visionPatchSize = 8;
    c.contextLength = kContext;
    c.vocabSize = kVocab;
    c.transformerWidth = 32;
    c.transformerHeads = 2;
    c.transformerLayers = 1;
    return c;
}

clip::ClipModel tinyModel(std::uint64_t seed = 0)
{
    torch::manual_seed(seed);
    return clip::ClipModel(tinyConfig());
}

/// Image k shows class k % 4 as a colour with a per-image stripe pattern. No torch RNG (the
/// loader thread must not disturb it).
class SyntheticImages final : public ImageSource {
public:
    torch::Tensor load(const std::vector<int> &images) override
    {
        auto out = torch::empty({std::int64_t(images.size()), 32, 32, 3}, torch::kUInt8);
        auto a = out.accessor<std::uint8_t, 4>();
        for (size_t b = 0; b < images.size(); ++b) {
            const int id = images[b], cls = id % kClasses;
            for (int y = 0; y < 32; ++y)
                for (int x = 0; x < 32; ++x)
                    for (int ch = 0; ch < 3; ++ch) {
                        int base = (ch == cls % 3 ? 200 : 40) + (cls == 3 && (x / 4) % 2 ? 50 : 0);
                        a[long(b)][y][x][ch] = std::uint8_t(base + ((x * 7 + y * 3 + id * 5 + ch) % 17));
                    }
        }
        ++calls;
        return out;
    }
    int resolution() const override { return 32; }
    int calls = 0;
};

/// Pair i: image i, caption "<sot> class-word filler <eot>" (eot = the largest id).
TrainingPairs syntheticPairs(int n)
{
    TrainingPairs p;
    p.tokens = torch::zeros({n, kContext}, torch::kInt64);
    for (int i = 0; i < n; ++i) {
        p.images.push_back(i);
        p.captions.push_back(i);
        const int cls = i % kClasses;
        p.tokens[i][0] = kVocab - 2;
        p.tokens[i][1] = 1 + cls;
        p.tokens[i][2] = 10 + (i % 3);
        p.tokens[i][3] = kVocab - 1;
    }
    return p;
}

TrainOptions fastOptions()
{
    TrainOptions o;
    o.epochs = 3;
    o.batchSize = 8;
    o.learningRate = 1e-3;
    o.warmupSteps = 2;
    o.seed = 5;
    return o;
}

std::map<std::string, torch::Tensor> snapshot(clip::ClipModel &m)
{
    std::map<std::string, torch::Tensor> out;
    for (const auto &item : m->named_parameters())
        out[item.key()] = item.value().detach().clone();
    return out;
}

} // namespace

class TestTrain : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void lossDecreases();
    void sameSeedSameLosses();
    void scheduleWarmupAndCosine();
    void scheduleDrivesOptimizerSteps();
    void freezingKeepsTowerUnchanged_data();
    void freezingKeepsTowerUnchanged();
    void cancellationStopsWithinOneStepAndCheckpoints();
    void progressEventsCarryTheNumbers();
    void optionsJsonRoundTripAndErrors();
    void badSetupIsAClearError();
};

void TestTrain::lossDecreases()
{
    TrainOptions o = fastOptions();
    o.epochs = 6;
    Trainer t(tinyModel(), syntheticPairs(32), std::make_shared<SyntheticImages>(), o);
    NullProgress progress;
    TrainSummary s = t.run(progress);
    QCOMPARE(s.epochLosses.size(), size_t(6));
    QCOMPARE(s.stepLosses.size(), size_t(24));
    QVERIFY2(s.epochLosses.back() < 0.8 * s.epochLosses.front(),
             qPrintable(QString("first %1 last %2").arg(s.epochLosses.front()).arg(s.epochLosses.back())));
}

void TestTrain::sameSeedSameLosses()
{
    NullProgress progress;
    Trainer a(tinyModel(), syntheticPairs(20), std::make_shared<SyntheticImages>(), fastOptions());
    Trainer b(tinyModel(), syntheticPairs(20), std::make_shared<SyntheticImages>(), fastOptions());
    auto la = a.run(progress).stepLosses;
    auto lb = b.run(progress).stepLosses;
    QCOMPARE(la.size(), size_t(9)); // 20 pairs, batch 8 -> 3 batches (last one short), 3 epochs
    QCOMPARE(la, lb);               // exact
    TrainOptions other = fastOptions();
    other.seed = 6;
    Trainer c(tinyModel(), syntheticPairs(20), std::make_shared<SyntheticImages>(), other);
    QVERIFY(c.run(progress).stepLosses != la);
    QVERIFY(Trainer::epochOrder(5, 0, 20) != Trainer::epochOrder(5, 1, 20));
    QCOMPARE(Trainer::epochOrder(5, 1, 20), Trainer::epochOrder(5, 1, 20));
}

void TestTrain::scheduleWarmupAndCosine()
{
    LearningRateSchedule s(1e-3, 0.0, 10, 110);
    QCOMPARE(s.at(0), 1e-4);
    QCOMPARE(s.at(4), 5e-4);
    QCOMPARE(s.at(9), 1e-3);
    QCOMPARE(s.at(10), 1e-3);   // cosine starts at the peak
    QCOMPARE(s.at(60), 0.5e-3); // half way: cos(pi/2) = 0
    QCOMPARE(s.at(35), 1e-3 * 0.5 * (1 + std::cos(M_PI * 0.25)));
    QVERIFY(s.at(109) < 1e-6);
    LearningRateSchedule m(1e-3, 1e-4, 0, 100);
    QCOMPARE(m.at(0), 1e-3);
    QCOMPARE(m.at(50), 1e-4 + 0.5 * 0.9e-3);
    QCOMPARE(m.at(100), 1e-4);
}

void TestTrain::scheduleDrivesOptimizerSteps()
{
    TrainOptions o = fastOptions();
    o.warmupSteps = 3;
    Trainer t(tinyModel(), syntheticPairs(16), std::make_shared<SyntheticImages>(), o);
    QCOMPARE(t.totalSteps(), 6LL);
    MemoryMetricsSink sink;
    t.setMetricsSink(&sink);
    NullProgress progress;
    t.run(progress);
    const auto steps = sink.steps();
    QCOMPARE(steps.size(), size_t(6));
    for (size_t i = 0; i < steps.size(); ++i) {
        QCOMPARE(steps[i].at("step").get<long long>(), (long long)i + 1);
        QCOMPARE(steps[i].at("lr").get<double>(), t.schedule().at((long long)i));
        QVERIFY(steps[i].at("logit_scale").get<double>() <= std::log(100.0) + 1e-6);
    }
    QCOMPARE(steps[0].at("lr").get<double>(), 1e-3 / 3);
    QCOMPARE(sink.epochs().size(), size_t(3));
    QCOMPARE(sink.epochs()[2].at("epoch").get<int>(), 3);
}

void TestTrain::freezingKeepsTowerUnchanged_data()
{
    QTest::addColumn<QString>("tower");
    QTest::newRow("image") << "image";
    QTest::newRow("text") << "text";
}

void TestTrain::freezingKeepsTowerUnchanged()
{
    QFETCH(QString, tower);
    TrainOptions o = fastOptions();
    o.epochs = 1;
    o.freeze = tower == "image" ? FreezeTower::Image : FreezeTower::Text;
    auto model = tinyModel();
    const auto before = snapshot(model);
    Trainer t(model, syntheticPairs(16), std::make_shared<SyntheticImages>(), o);
    NullProgress progress;
    t.run(progress);
    const auto after = snapshot(model);
    int frozenSeen = 0, movedSeen = 0;
    for (const auto &[name, value] : before) {
        const bool image = name.rfind("visual.", 0) == 0;
        const bool frozen = o.freeze == FreezeTower::Image ? image : (!image && name != "logit_scale");
        if (frozen) {
            QVERIFY2(torch::equal(value, after.at(name)), name.c_str());
            ++frozenSeen;
        } else if (!torch::equal(value, after.at(name))) {
            ++movedSeen;
        }
    }
    QVERIFY(frozenSeen > 3);
    QVERIFY(movedSeen > 3);
}

void TestTrain::cancellationStopsWithinOneStepAndCheckpoints()
{
    test::TempDir dir;
    CallbackProgress *self = nullptr;
    CallbackProgress progress([&](const ProgressEvent &e) {
        if (e.stage == "train" && e.done == 3)
            self->cancel();
    });
    self = &progress;
    Trainer t(tinyModel(), syntheticPairs(40), std::make_shared<SyntheticImages>(), fastOptions());
    t.setCheckpointDir(dir.path());
    bool cancelled = false;
    try {
        t.run(progress);
    } catch (const CancelledError &) {
        cancelled = true;
    }
    QVERIFY(cancelled);
    QCOMPARE(t.globalStep(), 3LL); // no step after the one during which cancel() came
    QVERIFY(Trainer::hasCheckpoint(dir.path()));
    QCOMPARE(t.lastCheckpoint().filename().string(), std::string("step-0000000003.ckpt"));
    // The checkpoint resumes: a new trainer picks up at step 3.
    Trainer r(tinyModel(9), syntheticPairs(40), std::make_shared<SyntheticImages>(), fastOptions());
    r.resume(dir.path());
    QCOMPARE(r.globalStep(), 3LL);
    QCOMPARE(r.resumedFromStep(), 3LL);
}

void TestTrain::progressEventsCarryTheNumbers()
{
    std::vector<ProgressEvent> events;
    CallbackProgress progress([&](const ProgressEvent &e) { events.push_back(e); });
    TrainOptions o = fastOptions();
    o.epochs = 1;
    Trainer t(tinyModel(), syntheticPairs(16), std::make_shared<SyntheticImages>(), o);
    t.run(progress);
    QVERIFY(events.size() >= 2);
    const auto &e = events.front();
    QCOMPARE(e.stage, std::string("train"));
    QCOMPARE(e.done, 1LL);
    QCOMPARE(e.total, 2LL);
    for (const char *key : {"epoch", "step", "loss", "lr", "samples_per_s", "eta_s"})
        QVERIFY2(e.values.count(key), key);
    QVERIFY(e.values.at("samples_per_s") > 0);
    QVERIFY(e.values.at("eta_s") >= 0);
}

void TestTrain::optionsJsonRoundTripAndErrors()
{
    TrainOptions o;
    o.freeze = FreezeTower::Text;
    o.precision = Precision::BFloat16;
    o.checkpointEverySteps = 7;
    TrainOptions back = TrainOptions::fromJson(o.toJson());
    QCOMPARE(back.toJson(), o.toJson());
    QCOMPARE(TrainOptions().learningRate, 1e-5);
    QCOMPARE(TrainOptions().beta2, 0.98);
    QCOMPARE(TrainOptions().eps, 1e-6);
    QCOMPARE(TrainOptions().weightDecay, 0.2);
    auto expectError = [](const nlohmann::json &j, const char *needle) {
        try {
            TrainOptions::fromJson(j);
            QFAIL("expected poisonlab::Error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        }
    };
    expectError({{"batchsize", 4}}, "'batchsize' is unknown");
    expectError({{"epochs", "ten"}}, "'epochs' must be an integer");
    expectError({{"freeze", "both"}}, "'freeze' must be");
    expectError({{"batchSize", 1}}, "'batchSize' must be at least 2");
}

void TestTrain::badSetupIsAClearError()
{
    auto expectError = [](auto fn, const char *needle) {
        try {
            fn();
            QFAIL("expected poisonlab::Error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        }
    };
    TrainOptions o = fastOptions();
    o.dropLast = true;
    o.batchSize = 64;
    expectError([&] { Trainer(tinyModel(), syntheticPairs(10), std::make_shared<SyntheticImages>(), o); },
                "fewer than one batch of 64");
    test::TempDir empty;
    Trainer t(tinyModel(), syntheticPairs(10), std::make_shared<SyntheticImages>(), fastOptions());
    expectError([&] { t.resume(empty.path()); }, "holds no training checkpoint");
}

POISONLAB_TEST_MAIN(TestTrain)
#include "tst_train.moc"
