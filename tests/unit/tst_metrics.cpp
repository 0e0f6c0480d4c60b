// Retrieval (R@K, mean/median rank) and attack (MinRank, Hit@K) metrics: hand-computed golden
// cases in tests/data/eval/ and an independent sort-based implementation on random matrices.
#include "TestSupport.h"

#include "poisonlab/core/AtomicFile.h"
#include "poisonlab/core/Error.h"
#include "poisonlab/core/eval/AttackMetrics.h"
#include "poisonlab/core/eval/RetrievalMetrics.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>
#include <random>

using namespace poisonlab;
using namespace poisonlab::eval;
using nlohmann::json;

namespace {

struct Matrix {
    std::vector<float> data;
    std::int64_t rows = 0, cols = 0;
    SimilarityView view() const { return {data.data(), rows, cols}; }
};

Matrix fromJson(const json &rows)
{
    Matrix m;
    m.rows = std::int64_t(rows.size());
    m.cols = std::int64_t(rows.at(0).size());
    for (const auto &r : rows)
        for (const auto &v : r)
            m.data.push_back(v.get<float>());
    return m;
}

json loadCases(const char *file)
{
    return readJsonFile(test::testDataDir() / "eval" / file);
}

/// Sort-based reference: the position of `target` after a stable sort by descending score in
/// which, among equal scores, wanted items come first (the documented tie rule).
std::int64_t sortedPosition(const std::vector<float> &scores, const std::vector<char> &wanted)
{
    std::vector<int> idx(scores.size());
    std::iota(idx.begin(), idx.end(), 0);
    std::stable_sort(idx.begin(), idx.end(), [&](int a, int b) {
        if (scores[size_t(a)] != scores[size_t(b)])
            return scores[size_t(a)] > scores[size_t(b)];
        return wanted[size_t(a)] > wanted[size_t(b)];
    });
    for (size_t p = 0; p < idx.size(); ++p)
        if (wanted[size_t(idx[p])])
            return std::int64_t(p);
    return -1;
}

Matrix randomMatrix(std::int64_t rows, std::int64_t cols, unsigned seed, bool coarse)
{
    std::mt19937 gen(seed);
    std::uniform_real_distribution<float> u(-1.f, 1.f);
    Matrix m;
    m.rows = rows;
    m.cols = cols;
    for (std::int64_t i = 0; i < rows * cols; ++i) {
        float v = u(gen);
        m.data.push_back(coarse ? std::round(v * 4.f) / 4.f : v); // coarse: many ties
    }
    return m;
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void retrievalGolden_data();
    void retrievalGolden();
    void attackGolden_data();
    void attackGolden();
    void retrievalMatchesSortReference_data();
    void retrievalMatchesSortReference();
    void minRankMatchesSortReference();
    void baselineIsSeededAndDistinct();
    void badInputNamesTheProblem();
    void jsonLayout();
};

void TestMetrics::retrievalGolden_data()
{
    QTest::addColumn<int>("index");
    const json cases = loadCases("retrieval_cases.json");
    for (size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << int(i);
}

void TestMetrics::retrievalGolden()
{
    QFETCH(int, index);
    const json c = loadCases("retrieval_cases.json").at(size_t(index));
    const Matrix m = fromJson(c.at("sims"));
    const auto captionImage = c.at("caption_image").get<std::vector<int>>();
    const json &e = c.at("expected");
    for (int threads : {1, 2}) {
        RetrievalMetrics r = computeRetrievalMetrics(m.view(), captionImage, threads);
        QCOMPARE(r.imageRanks, e.at("image_ranks").get<std::vector<std::int64_t>>());
        QCOMPARE(r.textRanks, e.at("text_ranks").get<std::vector<std::int64_t>>());
        for (auto [rec, key] :
             {std::pair{&r.imageRetrieval, "image_retrieval"}, {&r.textRetrieval, "text_retrieval"}}) {
            const json &x = e.at(key);
            QCOMPARE(rec->r1, x.at("r1").get<double>());
            QCOMPARE(rec->r5, x.at("r5").get<double>());
            QCOMPARE(rec->r10, x.at("r10").get<double>());
            QCOMPARE(rec->meanRank, x.at("mean_rank").get<double>());
            QCOMPARE(rec->medianRank, x.at("median_rank").get<double>());
        }
    }
}

void TestMetrics::attackGolden_data()
{
    QTest::addColumn<int>("index");
    const json cases = loadCases("attack_cases.json");
    for (size_t i = 0; i < cases.size(); ++i)
        QTest::newRow(cases[i].at("name").get<std::string>().c_str()) << int(i);
}

void TestMetrics::attackGolden()
{
    QFETCH(int, index);
    const json c = loadCases("attack_cases.json").at(size_t(index));
    const Matrix m = fromJson(c.at("sims"));
    const json &e = c.at("expected");
    auto ranks = minRanks(m.view(), c.at("queries").get<std::vector<int>>(), c.at("targets").get<std::vector<int>>());
    QCOMPARE(ranks, e.at("minranks").get<std::vector<std::int64_t>>());
    RankSummary s = summarizeMinRanks(ranks);
    for (int k : {1, 5, 10, 20, 50})
        QCOMPARE(s.hitAt(k), e.at("hit@" + std::to_string(k)).get<double>());
    QCOMPARE(s.meanMinRank, e.at("minrank_mean").get<double>());
    QCOMPARE(s.medianMinRank, e.at("minrank_median").get<double>());
    QCOMPARE(s.minMinRank, e.at("minrank_min").get<std::int64_t>());
    QCOMPARE(s.maxMinRank, e.at("minrank_max").get<std::int64_t>());
}

void TestMetrics::retrievalMatchesSortReference_data()
{
    QTest::addColumn<bool>("coarse");
    QTest::addColumn<int>("threads");
    QTest::newRow("distinct scores") << false << 1;
    QTest::newRow("many ties") << true << 1;
    QTest::newRow("many ties, two threads") << true << 2;
}

void TestMetrics::retrievalMatchesSortReference()
{
    QFETCH(bool, coarse);
    QFETCH(int, threads);
    // 60 images, 1-4 captions each.
    std::mt19937 gen(7);
    std::vector<int> captionImage;
    for (int i = 0; i < 60; ++i)
        for (int k = 0, n = 1 + int(gen() % 4); k < n; ++k)
            captionImage.push_back(i);
    std::shuffle(captionImage.begin(), captionImage.end(), gen);
    const Matrix m = randomMatrix(std::int64_t(captionImage.size()), 60, 11, coarse);
    RetrievalMetrics r = computeRetrievalMetrics(m.view(), captionImage, threads);

    for (std::int64_t c = 0; c < m.rows; ++c) {
        std::vector<float> row(m.data.begin() + c * m.cols, m.data.begin() + (c + 1) * m.cols);
        std::vector<char> wanted(size_t(m.cols), 0);
        wanted[size_t(captionImage[size_t(c)])] = 1;
        QCOMPARE(r.imageRanks[size_t(c)], sortedPosition(row, wanted));
    }
    for (std::int64_t i = 0; i < m.cols; ++i) {
        std::vector<float> col;
        std::vector<char> own;
        for (std::int64_t c = 0; c < m.rows; ++c) {
            col.push_back(m.view().at(c, i));
            own.push_back(captionImage[size_t(c)] == i);
        }
        // Best rank among the image's captions = first own caption in the sorted column.
        QCOMPARE(r.textRanks[size_t(i)], sortedPosition(col, own));
    }
    // Summaries against a direct count.
    std::int64_t hits10 = std::count_if(r.imageRanks.begin(), r.imageRanks.end(), [](auto x) { return x < 10; });
    QCOMPARE(r.imageRetrieval.r10, double(hits10) / double(r.imageRanks.size()));
    std::vector<std::int64_t> sorted = r.textRanks;
    std::sort(sorted.begin(), sorted.end());
    QCOMPARE(r.textRetrieval.medianRank, (double(sorted[29]) + double(sorted[30])) / 2.0 + 1.0);
}

void TestMetrics::minRankMatchesSortReference()
{
    for (bool coarse : {false, true}) {
        const Matrix m = randomMatrix(40, 200, 3, coarse);
        std::vector<int> queries = {0, 5, 7, 39, 12};
        std::vector<int> targets = {3, 150, 77};
        auto ranks = minRanks(m.view(), queries, targets);
        for (size_t q = 0; q < queries.size(); ++q) {
            std::vector<float> row(m.data.begin() + queries[q] * m.cols, m.data.begin() + (queries[q] + 1) * m.cols);
            std::vector<char> wanted(size_t(m.cols), 0);
            for (int t : targets)
                wanted[size_t(t)] = 1;
            QCOMPARE(ranks[q], sortedPosition(row, wanted));
        }
    }
}

void TestMetrics::baselineIsSeededAndDistinct()
{
    std::vector<int> candidates(100);
    std::iota(candidates.begin(), candidates.end(), 0);
    auto a = sampleBaselineRows(candidates, 30, 42);
    auto b = sampleBaselineRows(candidates, 30, 42);
    auto c = sampleBaselineRows(candidates, 30, 43);
    QCOMPARE(a, b);
    QVERIFY(a != c);
    std::sort(a.begin(), a.end());
    QVERIFY(std::adjacent_find(a.begin(), a.end()) == a.end());
    QCOMPARE(sampleBaselineRows(candidates, 100, 1).size(), size_t(100));
}

void TestMetrics::badInputNamesTheProblem()
{
    const Matrix m = randomMatrix(4, 3, 1, false);
    auto expectError = [](auto fn, const char *needle) {
        try {
            fn();
            QFAIL("expected poisonlab::Error");
        } catch (const Error &e) {
            QVERIFY2(std::string(e.what()).find(needle) != std::string::npos, e.what());
        }
    };
    expectError([&] { computeRetrievalMetrics(m.view(), {0, 0, 1, 1}); }, "image column 2 has no caption");
    expectError([&] { computeRetrievalMetrics(m.view(), {0, 1, 2}); }, "3 caption-to-image links");
    expectError([&] { computeRetrievalMetrics(m.view(), {0, 1, 2, 7}); }, "names image column 7");
    expectError([&] { minRanks(m.view(), {0}, {5}); }, "target image column 5");
    expectError([&] { minRanks(m.view(), {0}, {}); }, "at least one target");
    expectError(
        [&] {
            evaluateAttack(m.view(), AttackGoal{"sheep->aeroplane", {0, 1, 2}, {1}}, {3}, 0);
        },
        "needs 3 test captions but only 1");
    expectError(
        [&] {
            evaluateAttack(m.view(), AttackGoal{"sheep->aeroplane", {}, {1}}, {3}, 0);
        },
        "'sheep->aeroplane' has no query captions");
}

void TestMetrics::jsonLayout()
{
    const json c = loadCases("attack_cases.json").at(1);
    const Matrix m = fromJson(c.at("sims"));
    AttackResult r = evaluateAttack(m.view(), AttackGoal{"a->b", {0, 1}, {1, 3}}, {2, 3}, 5);
    json j = r.toJson();
    QCOMPARE(j.at("name").get<std::string>(), std::string("a->b"));
    QCOMPARE(j.at("attack").at("hit@1").get<double>(), 0.5);
    QCOMPARE(j.at("attack").at("minrank_max").get<int>(), 3);
    QCOMPARE(j.at("baseline").at("queries").get<int>(), 2);
    QVERIFY(j.at("baseline").contains("minrank_median"));
    const json u = loadCases("retrieval_cases.json").at(0);
    json rj =
        computeRetrievalMetrics(fromJson(u.at("sims")).view(), u.at("caption_image").get<std::vector<int>>()).toJson();
    QCOMPARE(rj.at("image_retrieval").at("r1").get<double>(), 0.75);
    QCOMPARE(rj.at("r_mean").get<double>(), (0.75 + 1 + 1 + 2.0 / 3 + 1 + 1) / 6);
}

POISONLAB_TEST_MAIN(TestMetrics)
#include "tst_metrics.moc"
