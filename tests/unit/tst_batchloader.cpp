// The trainer's background batch loader: it delivers a run's batches in the trainer's order from
// any resume point, rethrows an image source's error (naming the file) from next(), and its
// destructor stops a producer that is still ahead of the trainer.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/clip/ClipPreprocess.h"
#include "poisonlab/core/train/BatchLoader.h"
#include "poisonlab/core/train/ImageSource.h"

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace poisonlab;
using namespace poisonlab::train;

namespace {

constexpr int kResolution = 4;

/// Image id i is a constant image of value i; loading `broken` fails like an undecodable file.
class FakeImages : public ImageSource {
public:
    explicit FakeImages(int broken = -1) : m_broken(broken) {}
    torch::Tensor load(const std::vector<int> &images) override
    {
        ++loads;
        auto out = torch::empty({long(images.size()), kResolution, kResolution, 3}, torch::kUInt8);
        for (std::size_t i = 0; i < images.size(); ++i) {
            if (images[i] == m_broken)
                throw Error("images/broken.png: cannot decode the image");
            out[long(i)].fill_(images[i]);
        }
        return out;
    }
    int resolution() const override { return kResolution; }
    std::atomic<int> loads{0};

private:
    int m_broken;
};

/// Pair p shows image 10 + p and has the token row {p, 100 + p}.
torch::Tensor tokensFor(int pairs)
{
    auto t = torch::empty({pairs, 2}, torch::kInt64);
    for (int p = 0; p < pairs; ++p) {
        t[p][0] = p;
        t[p][1] = 100 + p;
    }
    return t;
}

std::vector<int> imagesFor(int pairs)
{
    std::vector<int> out;
    for (int p = 0; p < pairs; ++p)
        out.push_back(10 + p);
    return out;
}

/// Epoch e visits the pairs rotated by e.
std::vector<int> rotated(int epoch, int pairs)
{
    std::vector<int> order;
    for (int i = 0; i < pairs; ++i)
        order.push_back((i + epoch) % pairs);
    return order;
}

} // namespace

class TestBatchLoader : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void deliversTheRunFromItsResumePoint_data();
    void deliversTheRunFromItsResumePoint();
    void sourceErrorReachesNext();
    void destructorStopsAProducerAhead();
    void shardsOfARankCoverTheBatchInOrder_data();
    void shardsOfARankCoverTheBatchInOrder();
};

void TestBatchLoader::deliversTheRunFromItsResumePoint_data()
{
    QTest::addColumn<int>("startEpoch");
    QTest::addColumn<int>("startBatch");
    QTest::addColumn<int>("depth");
    QTest::newRow("fresh run") << 0 << 0 << 2;
    QTest::newRow("resumed mid-epoch") << 1 << 2 << 2;
    QTest::newRow("resumed at the last batch") << 2 << 2 << 1;
    QTest::newRow("deep queue") << 0 << 1 << 16;
}

// 7 pairs in batches of 3: two full batches and one of 1 per epoch, 3 epochs.
void TestBatchLoader::deliversTheRunFromItsResumePoint()
{
    QFETCH(int, startEpoch);
    QFETCH(int, startBatch);
    QFETCH(int, depth);
    const int pairs = 7, batchSize = 3, epochs = 3;
    const long long perEpoch = 3;
    auto images = std::make_shared<FakeImages>();
    BatchLoader loader(
        images, imagesFor(pairs), tokensFor(pairs), [&](int e) { return rotated(e, pairs); }, batchSize, perEpoch,
        epochs, startEpoch, startBatch, depth);
    for (int e = startEpoch; e < epochs; ++e) {
        const std::vector<int> order = rotated(e, pairs);
        for (long long b = (e == startEpoch ? startBatch : 0); b < perEpoch; ++b) {
            const PreparedBatch batch = loader.next();
            QCOMPARE(batch.epoch, e);
            QCOMPARE(batch.batch, b);
            const int begin = int(b) * batchSize, end = std::min(pairs, begin + batchSize);
            QCOMPARE(batch.tokens.size(0), long(end - begin));
            QCOMPARE(batch.pixels.sizes().vec(), (std::vector<int64_t>{end - begin, 3, kResolution, kResolution}));
            auto expectedImages = torch::empty({end - begin, kResolution, kResolution, 3}, torch::kUInt8);
            for (int i = begin; i < end; ++i) {
                const int pair = order[std::size_t(i)];
                QCOMPARE(batch.tokens[i - begin][0].item<int64_t>(), int64_t(pair));
                QCOMPARE(batch.tokens[i - begin][1].item<int64_t>(), int64_t(100 + pair));
                expectedImages[i - begin].fill_(10 + pair);
            }
            QVERIFY(torch::allclose(batch.pixels, clip::normalizeBatch(expectedImages)));
        }
    }
    bool ranOut = false;
    try {
        loader.next();
    } catch (const Error &e) {
        ranOut = std::string(e.what()).find("ran out of batches") != std::string::npos;
    }
    QVERIFY2(ranOut, "next() past the last batch must fail, not block");
}

void TestBatchLoader::shardsOfARankCoverTheBatchInOrder_data()
{
    QTest::addColumn<int>("world");
    QTest::newRow("2 ranks") << 2;
    QTest::newRow("3 ranks") << 3;
}

// 11 pairs in batches of 6: a full batch and one of 5 per epoch. The ranks' shards, stacked in
// rank order, are the one-process batch; each global row count is recorded.
void TestBatchLoader::shardsOfARankCoverTheBatchInOrder()
{
    QFETCH(int, world);
    const int pairs = 11, batchSize = 6, epochs = 2;
    const long long perEpoch = 2;
    auto images = std::make_shared<FakeImages>();
    auto order = [&](int e) { return rotated(e, pairs); };
    BatchLoader whole(images, imagesFor(pairs), tokensFor(pairs), order, batchSize, perEpoch, epochs, 0, 0, 2);
    std::vector<std::unique_ptr<BatchLoader>> shards;
    for (int r = 0; r < world; ++r)
        shards.push_back(std::make_unique<BatchLoader>(images, imagesFor(pairs), tokensFor(pairs), order, batchSize,
                                                       perEpoch, epochs, 0, 0, 2, r, world));
    for (long long step = 0; step < perEpoch * epochs; ++step) {
        const PreparedBatch expected = whole.next();
        std::vector<torch::Tensor> tokens, pixels;
        for (int r = 0; r < world; ++r) {
            const PreparedBatch part = shards[std::size_t(r)]->next();
            QCOMPARE(part.globalRows, expected.tokens.size(0));
            QCOMPARE(part.tokens.size(0),
                     expected.tokens.size(0) * (r + 1) / world - expected.tokens.size(0) * r / world);
            tokens.push_back(part.tokens);
            pixels.push_back(part.pixels);
        }
        QVERIFY(torch::equal(torch::cat(tokens), expected.tokens));
        QVERIFY(torch::equal(torch::cat(pixels), expected.pixels));
    }
}

// The batches before the bad image still arrive; then next() rethrows the source's error.
void TestBatchLoader::sourceErrorReachesNext()
{
    const int pairs = 6;
    auto images = std::make_shared<FakeImages>(/*broken=*/10 + 4); // pair 4: the third batch of 2
    BatchLoader loader(
        images, imagesFor(pairs), tokensFor(pairs), [&](int) { return rotated(0, pairs); }, 2, 3, 2, 0, 0, 4);
    QCOMPARE(loader.next().batch, 0LL);
    QCOMPARE(loader.next().batch, 1LL);
    try {
        loader.next();
        QFAIL("no exception");
    } catch (const Error &e) {
        QVERIFY2(std::string(e.what()).find("broken.png") != std::string::npos, e.what());
    }
    QCOMPARE(images->loads.load(), 3); // the producer stopped at the error
}

// A long run whose trainer stops after one batch (cancel, out of memory): the loader has
// prepared at most its queue ahead, and the destructor returns at once.
void TestBatchLoader::destructorStopsAProducerAhead()
{
    const int pairs = 64;
    auto images = std::make_shared<FakeImages>();
    const auto start = std::chrono::steady_clock::now();
    {
        BatchLoader loader(
            images, imagesFor(pairs), tokensFor(pairs), [&](int e) { return rotated(e, pairs); }, 8, 8, 10000, 0, 0, 3);
        QCOMPARE(loader.next().batch, 0LL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the producer fills its queue
        QVERIFY(images->loads.load() <= 1 + 3);                     // delivered + queued
    }
    QVERIFY(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
    QVERIFY(images->loads.load() <= 4);
}

POISONLAB_TEST_MAIN(TestBatchLoader)
#include "tst_batchloader.moc"
