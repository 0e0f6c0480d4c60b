// The analyses on small hand-checkable inputs: embedding shift, KDE and Silverman's bandwidth,
// PCA of points on a line, t-SNE keeping two far clusters apart (and its documented sample), and
// the class-pair MinRank grid against per-goal MinRank (eval::minRanks) on a 6 x 4 matrix.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/analysis/DistanceDensity.h"
#include "poisonlab/core/analysis/EmbeddingShift.h"
#include "poisonlab/core/analysis/MinRankGrid.h"
#include "poisonlab/core/analysis/Pca.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/eval/AttackMetrics.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>

using namespace poisonlab;
using namespace poisonlab::analysis;

class TestAnalysis : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void shiftDistancesAndSummary();
    void kdeMatchesHandValuesAndIntegratesToOne();
    void silvermanBandwidthByHand();
    void pcaOfPointsOnALine();
    void tsneKeepsFarClustersApart();
    void tsneSamplesBeyondMaxPoints();
    void minRankGridMatchesPerGoalMinRank();
};

void TestAnalysis::shiftDistancesAndSummary()
{
    const auto ref = torch::tensor({1.f, 0.f, 1.f, 0.f, 1.f, 0.f, 3.f, 4.f}).view({4, 2});
    const auto now = torch::tensor({1.f, 0.f, 0.f, 2.f, -1.f, 0.f, 3.f, 4.f}).view({4, 2});
    const auto d = rowCosineDistances(ref, now);
    QCOMPARE(d.size(), std::size_t(4));
    QCOMPARE(d[0], 0.0);
    QCOMPARE(d[1], 1.0); // orthogonal, and the rows need not be unit length
    QCOMPARE(d[2], 2.0); // opposite
    QVERIFY(std::abs(d[3]) < 1e-12);
    const auto s = summarizeValues({0.0, 1.0, 2.0});
    QCOMPARE(s.mean, 1.0);
    QCOMPARE(s.median, 1.0);
    QVERIFY(std::abs(s.p90 - 1.8) < 1e-12); // 0.9 * (3 - 1) = 1.8: between 1 and 2
    QCOMPARE(summarizeValues({4.0, 1.0, 3.0, 2.0}).median, 2.5);
    const auto shift = embeddingShift(ref, ref, now, ref);
    QCOMPARE(shift.captions.mean, 0.0);
    QVERIFY(shift.images.mean > 0.7);
    QVERIFY_THROWS_EXCEPTION(Error, rowCosineDistances(ref, now.slice(0, 0, 3)));
}

void TestAnalysis::kdeMatchesHandValuesAndIntegratesToOne()
{
    const double phi0 = 1.0 / std::sqrt(2 * M_PI), phi1 = std::exp(-0.5) / std::sqrt(2 * M_PI);
    QVERIFY(std::abs(gaussianKde({0.0}, {0.0}, 1.0)[0] - phi0) < 1e-12);
    // Two points, h = 0.5, midway: 1 / (2 * 0.5) * 2 * phi(1).
    QVERIFY(std::abs(gaussianKde({0.0, 1.0}, {0.5}, 0.5)[0] - 2 * phi1) < 1e-12);
    const auto est = estimateDensities({{"clean", {0.1, 0.2, 0.25, 0.4, 0.5}}, {"poisoned", {0.8, 0.9}}}, 0, 400);
    QVERIFY(est.bandwidthRule.starts_with("silverman"));
    QCOMPARE(est.groups.at("poisoned").count, std::int64_t(2));
    QVERIFY(std::abs(est.groups.at("poisoned").mean - 0.85) < 1e-12);
    for (const auto &[name, g] : est.groups) {
        double area = 0; // trapezoid rule over the grid (which spans +-3h beyond the data)
        for (std::size_t i = 1; i < est.grid.size(); ++i)
            area += (est.grid[i] - est.grid[i - 1]) * (g.density[i] + g.density[i - 1]) / 2;
        QVERIFY2(std::abs(area - 1.0) < 0.01, qPrintable(QString::fromStdString(name) + ": " + QString::number(area)));
    }
    const auto given = estimateDensities({{"clean", {0.0}}, {"poisoned", {}}}, 0.2, 50);
    QCOMPARE(given.bandwidth, 0.2);
    QCOMPARE(given.bandwidthRule, std::string("given"));
    QCOMPARE(given.groups.at("poisoned").count, std::int64_t(0));
    QCOMPARE(given.toJson()["kernel"].get<std::string>(), std::string("gaussian"));
}

void TestAnalysis::silvermanBandwidthByHand()
{
    // sd = sqrt(2.5) = 1.581; IQR = 4 - 2 = 2, / 1.34 = 1.4925 (smaller); h = 0.9 * 1.4925 * 5^-0.2.
    const double expected = 0.9 * (2.0 / 1.34) * std::pow(5.0, -0.2);
    QVERIFY(std::abs(silvermanBandwidth({1, 2, 3, 4, 5}) - expected) < 1e-12);
    // IQR 0 (most values equal): the sd is used instead.
    const std::vector<double> v = {1, 1, 1, 1, 1, 1, 1, 5};
    const double sd = std::sqrt((7 * 0.25 + 3.5 * 3.5) / 7.0); // mean 1.5
    QVERIFY(std::abs(silvermanBandwidth(v) - 0.9 * sd * std::pow(8.0, -0.2)) < 1e-12);
    QCOMPARE(silvermanBandwidth({2, 2, 2}), 1e-3);
}

void TestAnalysis::pcaOfPointsOnALine()
{
    // Points c + t * u on a line along u = (1, 2, 2) / 3.
    const auto u = torch::tensor({1.0, 2.0, 2.0}, torch::kFloat64) / 3.0;
    const auto t = torch::tensor({-2.0, -1.0, 0.5, 1.0, 4.0}, torch::kFloat64);
    const auto c = torch::tensor({5.0, -1.0, 2.0}, torch::kFloat64);
    const auto x = c + t.unsqueeze(1) * u;
    const auto r = pca(x, 2);
    QCOMPARE(r.projected.size(0), std::int64_t(5));
    QCOMPARE(r.projected.size(1), std::int64_t(2));
    // First component = u with its largest entry positive; all variance along it.
    QVERIFY(torch::allclose(r.components[0], u, 1e-9, 1e-9));
    QVERIFY(std::abs(r.explainedRatio[0] - 1.0) < 1e-9);
    QVERIFY(torch::allclose(r.projected.select(1, 0), t - t.mean(), 1e-9, 1e-9));
    QVERIFY(r.projected.select(1, 1).abs().max().item<double>() < 1e-9);
    QVERIFY(std::abs(r.explainedVariance[0] - (t - t.mean()).pow(2).sum().item<double>() / 4) < 1e-9);
    // A flipped input gives the same components (deterministic signs).
    QVERIFY(torch::allclose(pca(-x, 2).components[0], u, 1e-9, 1e-9));
    // Fewer dimensions than components: the missing column is zeros.
    QCOMPARE(pca(torch::rand({4, 1}), 2).projected.select(1, 1).abs().sum().item<double>(), 0.0);
}

namespace {

/// Rows 0..n-1 near the origin, n..2n-1 near (100, 0, ...), in 10 dimensions.
torch::Tensor twoClusters(int n)
{
    torch::manual_seed(1);
    auto x = torch::randn({2 * n, 10}, torch::kFloat64);
    x.slice(0, n, 2 * n).select(1, 0).add_(100.0);
    return x;
}

} // namespace

void TestAnalysis::tsneKeepsFarClustersApart()
{
    const int n = 20;
    TsneOptions o;
    o.perplexity = 5; // default 1000 iterations: fewer leave the layout still expanding
    const auto r = tsne(twoClusters(n), o);
    QVERIFY(!r.sampled);
    QCOMPARE(r.points.size(0), std::int64_t(2 * n));
    QVERIFY(std::isfinite(r.klDivergence));
    const auto a = r.points.slice(0, 0, n), b = r.points.slice(0, n, 2 * n);
    const double gap = (a.mean(0) - b.mean(0)).norm().item<double>();
    const double spread =
        std::max((a - a.mean(0)).norm(2, 1).max().item<double>(), (b - b.mean(0)).norm(2, 1).max().item<double>());
    QVERIFY2(gap > 2 * spread, qPrintable(QString("gap %1, spread %2").arg(gap).arg(spread)));
    // Every point's nearest neighbour in the layout is from its own cluster.
    const auto d = torch::cdist(r.points, r.points) + torch::eye(2 * n, torch::kFloat64) * 1e9;
    const auto nn = d.argmin(1);
    for (int i = 0; i < 2 * n; ++i)
        QCOMPARE(nn[i].item<std::int64_t>() < n, i < n);
    // Same seed, same layout.
    QVERIFY(torch::equal(tsne(twoClusters(n), o).points, r.points));
}

void TestAnalysis::tsneSamplesBeyondMaxPoints()
{
    TsneOptions o;
    o.iterations = 50;
    o.maxPoints = 12;
    const auto r = tsne(twoClusters(20), o);
    QVERIFY(r.sampled);
    QCOMPARE(r.inputRows, std::int64_t(40));
    QCOMPARE(r.rows.size(), std::size_t(12));
    QCOMPARE(r.points.size(0), std::int64_t(12));
    QVERIFY(std::is_sorted(r.rows.begin(), r.rows.end()));
    QVERIFY(std::adjacent_find(r.rows.begin(), r.rows.end()) == r.rows.end());
    QCOMPARE(tsne(twoClusters(20), o).rows, r.rows);
    o.seed = 9;
    QVERIFY(tsne(twoClusters(20), o).rows != r.rows);
    const auto j = r.describe();
    QCOMPARE(j["kept_rows"].get<int>(), 12);
    QVERIFY(j["sample_rule"].get<std::string>().find("seeded") != std::string::npos);
}

void TestAnalysis::minRankGridMatchesPerGoalMinRank()
{
    // 6 captions x 4 images; classes a=0, b=1, c=2, d=3 (d has neither images nor captions).
    // Exact ties (0.5 twice in row 0, 0.2 in row 4) check the strictly-higher rule.
    const std::vector<float> s = {0.9f, 0.5f, 0.5f, 0.1f, //
                                  0.2f, 0.8f, 0.3f, 0.4f, //
                                  0.1f, 0.2f, 0.3f, 0.7f, //
                                  0.6f, 0.6f, 0.1f, 0.9f, //
                                  0.2f, 0.2f, 0.8f, 0.2f, //
                                  0.3f, 0.1f, 0.4f, 0.5f};
    const eval::SimilarityView view{s.data(), 6, 4};
    const std::vector<int> captionClass = {0, 0, 1, 1, 2, -1};
    const std::vector<int> imageClass = {0, 1, 1, 2};
    const std::vector<std::string> classes = {"a", "b", "c", "d"};
    const auto g = minRankGrid(view, captionClass, imageClass, classes, 2);
    QCOMPARE(g.queries, (std::vector<std::int64_t>{2, 2, 1, 0}));
    QCOMPARE(g.targets, (std::vector<std::int64_t>{1, 2, 1, 0}));
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
            std::vector<int> q, t;
            for (int r = 0; r < 6; ++r)
                if (captionClass[std::size_t(r)] == a)
                    q.push_back(r);
            for (int i = 0; i < 4; ++i)
                if (imageClass[std::size_t(i)] == b)
                    t.push_back(i);
            if (q.empty() || t.empty()) {
                QVERIFY(!g.minRankMean[std::size_t(a)][std::size_t(b)].has_value());
                continue;
            }
            const auto summary = eval::summarizeMinRanks(eval::minRanks(view, q, t), {2});
            QCOMPARE(*g.minRankMean[std::size_t(a)][std::size_t(b)], summary.meanMinRank);
            QCOMPARE(*g.hitAtK[std::size_t(a)][std::size_t(b)], summary.hitAt(2));
        }
    // By hand: class a -> b. Row 0: best b = 0.5, one higher (0.9) -> 1. Row 1: best 0.8 -> 0.
    QCOMPARE(*g.minRankMean[0][1], 0.5);
    // c -> a: row 4, image 0 scores 0.2; only 0.8 is strictly higher (the tied 0.2s are not).
    QCOMPARE(*g.minRankMean[2][0], 1.0);
    const auto j = g.toJson();
    QVERIFY(j["minrank_mean"][3][0].is_null());
    QVERIFY(j.contains("hit@2"));
    QVERIFY_THROWS_EXCEPTION(Error, minRankGrid(view, {0, 0}, imageClass, classes));
}

POISONLAB_TEST_MAIN(TestAnalysis)
#include "tst_analysis.moc"
