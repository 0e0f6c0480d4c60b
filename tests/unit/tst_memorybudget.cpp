// Memory bounds (MemoryBudget.h): the limit read from POISONLAB_MEMORY_LIMIT, and an evaluation
// whose similarity matrix cannot fit failing by name before any forward pass, in the Evaluator
// and through `poisonlab-cli run` (status failed, the message in run.json) instead of being killed.
#include "TestSupport.h"
#include "TinyTraining.h"
#include "ToyExperiment.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/MemoryBudget.h"
#include "poisonlab/core/eval/Evaluator.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

using namespace poisonlab;
namespace fs = std::filesystem;

using poisonlab::test::errorOf;

namespace {

/// Sets POISONLAB_MEMORY_LIMIT for one scope.
class MemoryLimit {
public:
    explicit MemoryLimit(const char *value) { qputenv(kMemoryLimitVariable, value); }
    ~MemoryLimit() { qunsetenv(kMemoryLimitVariable); }
};

class CountingImages final : public train::ImageSource {
public:
    torch::Tensor load(const std::vector<int> &images) override
    {
        loaded += int(images.size());
        return torch::full({std::int64_t(images.size()), 32, 32, 3}, 90, torch::kUInt8);
    }
    int resolution() const override { return 32; }
    int loaded = 0;
};

/// 12 test images of 4 classes, two captions each.
std::shared_ptr<data::Dataset> gallery()
{
    auto ds = std::make_shared<data::Dataset>();
    ds->name = "tiny";
    ds->classes = {"cat", "dog", "sheep", "aeroplane"};
    for (int i = 0; i < 12; ++i) {
        data::ImageRecord im;
        im.path = "img" + std::to_string(i) + ".png";
        im.label = i % 4;
        im.split = data::Split::Test;
        ds->images.push_back(im);
        for (int k = 0; k < 2; ++k)
            ds->captions.push_back({i, "a photo of a " + ds->classes[std::size_t(i % 4)], false, -1});
    }
    return ds;
}

std::vector<std::int64_t> tokenize(const std::vector<std::string> &texts, int L)
{
    std::vector<std::int64_t> out(texts.size() * std::size_t(L), 0);
    for (std::size_t t = 0; t < texts.size(); ++t) {
        out[t * std::size_t(L)] = 62;
        out[t * std::size_t(L) + 1] = std::int64_t(texts[t].size() % 50);
        out[t * std::size_t(L) + 2] = 63;
    }
    return out;
}

} // namespace

class TestMemoryBudget : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { torch::set_num_threads(1); }
    void limitFromTheVariable_data();
    void limitFromTheVariable();
    void requireMemoryNamesSizesAndRemedy();
    void evaluatorRefusesBeforeEmbedding();
    void runFailsByNameInsteadOfBeingKilled();
};

void TestMemoryBudget::limitFromTheVariable_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<qlonglong>("bytes"); // -1: refused
    QTest::newRow("bytes") << "4096" << 4096LL;
    QTest::newRow("K") << "3K" << 3072LL;
    QTest::newRow("M") << "512M" << (512LL << 20);
    QTest::newRow("GiB") << "2GiB" << (2LL << 30);
    QTest::newRow("words") << "lots" << -1LL;
    QTest::newRow("negative") << "-5" << -1LL;
    QTest::newRow("unknown unit") << "5X" << -1LL;
    QTest::newRow("overflow") << "99999999999T" << -1LL;
}

void TestMemoryBudget::limitFromTheVariable()
{
    QFETCH(QString, value);
    QFETCH(qlonglong, bytes);
    const QByteArray v = value.toUtf8();
    MemoryLimit limit(v.constData());
    if (bytes < 0) {
        const std::string e = errorOf([] { availableMemory(); });
        QVERIFY2(e.find("POISONLAB_MEMORY_LIMIT=\"" + value.toStdString() + "\" is not a size") == 0, e.c_str());
        return;
    }
    const auto available = availableMemory();
    QVERIFY(available);
    // The smallest of the limit and what the machine has: these limits are below any machine's.
    QCOMPARE(qlonglong(available->bytes), bytes);
    QVERIFY2(available->source.find("POISONLAB_MEMORY_LIMIT") != std::string::npos, available->source.c_str());
}

void TestMemoryBudget::requireMemoryNamesSizesAndRemedy()
{
    MemoryLimit limit("1M");
    requireMemory(1 << 20, "an exact fit", "", ""); // no throw
    const std::string e = errorOf([] { requireMemory(3u << 29, "the test", "a 1.5 GiB matrix", "use a smaller one"); });
    QCOMPARE(e, std::string("the test needs about 1.5 GiB (a 1.5 GiB matrix), but only 1.0 MiB are available (the "
                            "limit POISONLAB_MEMORY_LIMIT sets); use a smaller one"));
}

void TestMemoryBudget::evaluatorRefusesBeforeEmbedding()
{
    auto images = std::make_shared<CountingImages>();
    eval::Evaluator ev(gallery(), data::Split::Test, images, tokenize);
    auto model = test::tinyTrainingModel();
    NullProgress progress;
    {
        // 24 x 12 similarities and 36 embeddings of 32 floats: 5,760 bytes.
        MemoryLimit limit("5K");
        const std::string e = errorOf([&] { ev.utility(model, progress); });
        QVERIFY2(e.find("evaluating the test split of dataset 'tiny' needs about 5.6 KiB (24 captions x 12 images "
                        "similarity matrix in float32, and their 32-dimensional embeddings), but only 5.0 KiB are "
                        "available (the limit POISONLAB_MEMORY_LIMIT sets); evaluate a smaller gallery "
                        "(evaluation.split") == 0,
                 e.c_str());
        QCOMPARE(images->loaded, 0); // refused before the first forward pass
    }
    MemoryLimit limit("6K");
    const auto r = ev.utility(model, progress);
    QCOMPARE(images->loaded, 12);
    QCOMPARE(r.imageRetrieval.queries, std::int64_t(24));
}

void TestMemoryBudget::runFailsByNameInsteadOfBeingKilled()
{
    test::TempDir dir;
    test::writeToyExperimentData(dir / "toy");
    writeJsonAtomically(dir / "exp.json", test::toyExperimentJson(dir / "toy", false));
    std::string out;
    const int rc =
        test::runCommand(std::string("POISONLAB_MEMORY_LIMIT=1K ") + test::binary("poisonlab-cli").string() + " run " +
                             (dir / "exp.json").string() + " --out " + (dir / "run").string() + " 2>&1",
                         &out);
    QVERIFY2(rc != 0, out.c_str());
    QVERIFY2(out.find("needs about") != std::string::npos && out.find("POISONLAB_MEMORY_LIMIT") != std::string::npos,
             out.c_str());
    const auto manifest = readJsonFile(dir / "run/run.json");
    QCOMPARE(manifest.value("status", ""), std::string("failed"));
    QVERIFY2(manifest.value("error", "").find("similarity matrix") != std::string::npos, manifest.dump().c_str());
}

POISONLAB_TEST_MAIN(TestMemoryBudget)
#include "tst_memorybudget.moc"
