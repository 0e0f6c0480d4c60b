// Barnes-Hut t-SNE (analysis::barnesHutTsne, what analysis::tsne runs for large inputs): the exact
// kNN, the sparse P, the quadtree gradient against the exact gradient (angle 0: equal; 0.5: close),
// a layout that keeps clusters apart and preserves neighbourhoods, a KL close to the exact
// method's on the same input, seeded reproducibility, cancellation, and the method choice.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/Progress.h"
#include "poisonlab/core/analysis/Tsne.h"
#include "poisonlab/core/analysis/TsneBarnesHut.h"

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cmath>

using namespace poisonlab;
using namespace poisonlab::analysis;

class TestTsneBarnesHut : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void nearestNeighboursAreExact();
    void affinitiesAreSymmetricAndSumToOne();
    void gradientAgainstExact_data();
    void gradientAgainstExact();
    void layoutSeparatesClusters();
    void klCloseToExactMethod();
    void seededRunsAreReproducible();
    void cancellationStops();
    void methodChoice();
};

namespace {

/// `clusters` Gaussian clusters of `per` points in `dim` dimensions, centres 12 apart per axis.
torch::Tensor clustered(int clusters, int per, int dim, std::uint64_t seed = 1)
{
    torch::manual_seed(seed);
    auto x = torch::randn({clusters * per, dim}, torch::kFloat64);
    for (int c = 0; c < clusters; ++c)
        x.slice(0, c * per, (c + 1) * per).select(1, c % dim).add_(12.0 * (1 + c / dim));
    return x;
}

/// The exact gradient 4 sum_j (p_ij - q_ij) num_ij (y_i - y_j) and KL over P's nonzero entries.
std::pair<torch::Tensor, double> exactGradient(const torch::Tensor &P, const torch::Tensor &y)
{
    const auto Y = y.to(torch::kFloat64);
    const auto diff = Y.unsqueeze(1) - Y.unsqueeze(0); // [n, n, 2]: y_i - y_j
    auto num = 1.0 / (1.0 + diff.square().sum(2));
    num.fill_diagonal_(0.0);
    const double z = num.sum().item<double>();
    const auto grad = 4.0 * ((P - num / z) * num).unsqueeze(2).mul(diff).sum(1);
    const auto nz = P > 0;
    const double kl =
        (P.masked_select(nz) * (P.masked_select(nz) / (num / z).masked_select(nz)).log()).sum().item<double>();
    return {grad, kl};
}

/// The fraction of each point's k nearest neighbours (in x) that are also among its k nearest in
/// the layout, averaged over points.
double neighbourhoodPreservation(const torch::Tensor &x, const torch::Tensor &layout, int k)
{
    const auto n = x.size(0);
    const auto eye = torch::eye(n, torch::kFloat64) * 1e30;
    const auto a = std::get<1>((torch::cdist(x.to(torch::kFloat64), x.to(torch::kFloat64)) + eye).topk(k, 1, false));
    const auto b = std::get<1>((torch::cdist(layout, layout) + eye).topk(k, 1, false));
    double kept = 0;
    for (std::int64_t i = 0; i < n; ++i)
        kept += torch::isin(a[i], b[i]).sum().item<double>();
    return kept / double(n * k);
}

} // namespace

void TestTsneBarnesHut::nearestNeighboursAreExact()
{
    const auto x = clustered(3, 40, 16);
    const auto nn = nearestNeighbours(x, 7);
    const auto d = torch::cdist(x, x).square() + torch::eye(120, torch::kFloat64) * 1e30;
    const auto [values, indices] = d.topk(7, 1, false);
    QVERIFY(torch::equal(nn.indices, indices));
    QVERIFY(torch::allclose(nn.squaredDistances.to(torch::kFloat64), values, 1e-4, 1e-4));
    QVERIFY_THROWS_EXCEPTION(Error, nearestNeighbours(x, 120)); // more than the other rows
}

void TestTsneBarnesHut::affinitiesAreSymmetricAndSumToOne()
{
    const auto x = clustered(3, 40, 16);
    const auto p = nearestNeighbourAffinities(x, 5); // k = 16 neighbours
    QCOMPARE(p.rows, std::int64_t(120));
    const auto P = p.toDense();
    QVERIFY(torch::allclose(P, P.t(), 0, 1e-9));
    QVERIFY(std::abs(P.sum().item<double>() - 1.0) < 1e-5);
    QCOMPARE(P.diagonal().abs().sum().item<double>(), 0.0);
    for (std::int64_t i = 0; i < p.rows; ++i) // its 16 neighbours, and those that have it among theirs
        QVERIFY(p.rowStart[std::size_t(i) + 1] - p.rowStart[std::size_t(i)] >= 16);
    // Same cluster only: clusters are far apart, so each point's 16 nearest are its own.
    for (std::int64_t i = 0; i < p.rows; ++i)
        for (auto e = p.rowStart[std::size_t(i)]; e < p.rowStart[std::size_t(i) + 1]; ++e)
            QCOMPARE(p.columns[std::size_t(e)] / 40, int(i / 40));
}

void TestTsneBarnesHut::gradientAgainstExact_data()
{
    QTest::addColumn<double>("angle");
    QTest::addColumn<double>("tolerance"); ///< largest |error| relative to the largest |gradient|
    QTest::newRow("angle 0: exact") << 0.0 << 1e-5;
    QTest::newRow("angle 0.5: approximation") << 0.5 << 0.05;
}

void TestTsneBarnesHut::gradientAgainstExact()
{
    QFETCH(double, angle);
    QFETCH(double, tolerance);
    const auto p = nearestNeighbourAffinities(clustered(4, 50, 10), 10);
    torch::manual_seed(3);
    const auto y = torch::randn({200, 2}, torch::kFloat32) * 5;
    const auto [expected, kl] = exactGradient(p.toDense(), y);
    const auto g = barnesHutGradient(p, y, angle);
    const double scale = expected.abs().max().item<double>();
    const double error = (g.gradient.to(torch::kFloat64) - expected).abs().max().item<double>();
    QVERIFY2(error <= tolerance * scale, qPrintable(QString("error %1, scale %2").arg(error).arg(scale)));
    if (angle == 0)
        QVERIFY2(std::abs(g.klDivergence - kl) < 1e-5 * kl,
                 qPrintable(QString("%1 vs %2").arg(g.klDivergence).arg(kl)));
    // Exaggeration multiplies P's attraction only.
    const auto g4 = barnesHutGradient(p, y, angle, 4.0);
    QVERIFY(!torch::allclose(g4.gradient, g.gradient));
}

void TestTsneBarnesHut::layoutSeparatesClusters()
{
    const int clusters = 4, per = 100;
    const auto x = clustered(clusters, per, 12);
    TsneOptions o;
    o.method = "barnes_hut";
    o.perplexity = 15;
    const auto r = tsne(x, o);
    QCOMPARE(r.method, std::string("barnes_hut"));
    QCOMPARE(r.points.size(0), std::int64_t(clusters * per));
    // Every point's nearest neighbour in the layout is from its own cluster.
    const auto d = torch::cdist(r.points, r.points) + torch::eye(clusters * per, torch::kFloat64) * 1e30;
    const auto nn = d.argmin(1);
    for (int i = 0; i < clusters * per; ++i)
        QCOMPARE(nn[i].item<std::int64_t>() / per, std::int64_t(i / per));
    // Local structure: of each point's 10 nearest neighbours in the input, at least 30% are among
    // its 10 nearest in the layout (within a cluster the input is isotropic noise in 12-D, so far
    // from all of them can be; a random layout of the cluster would keep about 10%).
    const double kept = neighbourhoodPreservation(x, r.points, 10);
    QVERIFY2(kept > 0.3, qPrintable(QString("kept %1").arg(kept)));
}

void TestTsneBarnesHut::klCloseToExactMethod()
{
    const auto x = clustered(4, 100, 12);
    TsneOptions o;
    o.perplexity = 15;
    o.method = "exact";
    const auto exact = tsne(x, o);
    o.method = "barnes_hut";
    const auto bh = tsne(x, o);
    QCOMPARE(exact.method, std::string("exact"));
    const double rel = std::abs(bh.klDivergence - exact.klDivergence) / exact.klDivergence;
    QVERIFY2(rel < 0.05,
             qPrintable(QString("KL exact %1, Barnes-Hut %2").arg(exact.klDivergence).arg(bh.klDivergence)));
}

void TestTsneBarnesHut::seededRunsAreReproducible()
{
    const auto x = clustered(3, 60, 8);
    TsneOptions o;
    o.method = "barnes_hut";
    o.iterations = 300;
    o.perplexity = 10;
    const auto a = tsne(x, o);
    QVERIFY(torch::equal(tsne(x, o).points, a.points));
    QCOMPARE(tsne(x, o).klDivergence, a.klDivergence);
    o.seed = 5;
    QVERIFY(!torch::equal(tsne(x, o).points, a.points));
}

void TestTsneBarnesHut::cancellationStops()
{
    long long lastDone = -1;
    CallbackProgress *self = nullptr;
    CallbackProgress progress([&](const ProgressEvent &e) {
        QCOMPARE(e.stage, std::string("t-sne"));
        lastDone = e.done;
        if (e.done >= 100)
            self->cancel();
    });
    self = &progress;
    TsneOptions o;
    o.method = "barnes_hut";
    o.perplexity = 10;
    QVERIFY_THROWS_EXCEPTION(CancelledError, tsne(clustered(3, 60, 8), o, &progress));
    QCOMPARE(lastDone, 100LL); // reported every 50 iterations, stopped at the next check
}

void TestTsneBarnesHut::methodChoice()
{
    TsneOptions o;
    o.iterations = 1;
    const auto small = tsne(clustered(2, 50, 4), o);
    QCOMPARE(small.describe()["method"].get<std::string>(), std::string("exact"));
    const int big = kExactTsneAutoPoints + 2;
    const auto large = tsne(clustered(2, big / 2, 4), o); // maxPoints 0: no sample
    QCOMPARE(large.describe()["method"].get<std::string>(), std::string("barnes_hut"));
    QVERIFY(!large.sampled);
    QCOMPARE(large.points.size(0), std::int64_t(big));
    QCOMPARE(o.toJson()["method"].get<std::string>(), std::string("auto"));
    QCOMPARE(o.toJson()["angle"].get<double>(), 0.5);
    o.method = "exact";
    QVERIFY_THROWS_EXCEPTION(Error, tsne(torch::zeros({kExactTsneMaxPoints + 1, 2}), o));
    o.method = "fast";
    QVERIFY_THROWS_EXCEPTION(Error, tsne(clustered(2, 10, 4), o));
}

POISONLAB_TEST_MAIN(TestTsneBarnesHut)
#include "tst_tsnebarneshut.moc"
