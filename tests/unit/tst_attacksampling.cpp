// The poison-rate helpers: pandas' rounding of frac * n, sampling without replacement, and the
// paper's "reuse B's images in turn" list.
#include "TestSupport.h"

#include "poisonlab/core/Error.h"
#include "poisonlab/core/attack/PoisonSampling.h"

#include <map>
#include <set>

using namespace poisonlab;
using namespace poisonlab::attack;

class TestAttackSampling : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void poisonCountRoundsLikePandas_data();
    void poisonCountRoundsLikePandas();
    void rateBounds();
    void sampleIsDistinctAndSeeded();
    void reuseInTurnCounts_data();
    void reuseInTurnCounts();
};

void TestAttackSampling::poisonCountRoundsLikePandas_data()
{
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("units");
    QTest::addColumn<int>("expected");
    QTest::newRow("exact") << 0.1 << 50 << 5;
    QTest::newRow("down") << 0.01 << 140 << 1;        // 1.4
    QTest::newRow("up") << 0.01 << 160 << 2;          // 1.6
    QTest::newRow("half to even 2") << 0.5 << 5 << 2; // 2.5 -> 2, as Python's round
    QTest::newRow("half to even 4") << 0.5 << 7 << 4; // 3.5 -> 4
    QTest::newRow("too small") << 0.001 << 100 << 0;
    QTest::newRow("all") << 1.0 << 123 << 123;
}

void TestAttackSampling::poisonCountRoundsLikePandas()
{
    QFETCH(double, rate);
    QFETCH(int, units);
    QFETCH(int, expected);
    QCOMPARE(poisonCount(rate, units), (long long)expected);
}

void TestAttackSampling::rateBounds()
{
    checkPoisonRate(1.0);
    checkPoisonRate(1e-6);
    for (double bad : {0.0, -0.5, 1.0000001, std::nan("")})
        QVERIFY_THROWS_EXCEPTION(Error, checkPoisonRate(bad));
}

void TestAttackSampling::sampleIsDistinctAndSeeded()
{
    Rng a(5), b(5);
    const auto s = sampleWithoutReplacement(100, 30, a);
    QCOMPARE(s, sampleWithoutReplacement(100, 30, b));
    QCOMPARE(std::set<size_t>(s.begin(), s.end()).size(), size_t(30));
    for (size_t i : s)
        QVERIFY(i < 100);
    QVERIFY_THROWS_EXCEPTION(Error, sampleWithoutReplacement(3, 4, a));
}

void TestAttackSampling::reuseInTurnCounts_data()
{
    QTest::addColumn<int>("images");
    QTest::addColumn<int>("count");
    QTest::newRow("fewer captions than images") << 10 << 4;
    QTest::newRow("exact multiple") << 4 << 12;
    QTest::newRow("with remainder") << 4 << 14;
    QTest::newRow("one image") << 1 << 5;
}

void TestAttackSampling::reuseInTurnCounts()
{
    QFETCH(int, images);
    QFETCH(int, count);
    std::vector<int> pool;
    for (int i = 0; i < images; ++i)
        pool.push_back(100 + i);
    Rng rng(11);
    const auto out = reuseInTurn(pool, static_cast<size_t>(count), rng);
    QCOMPARE(out.size(), size_t(count));
    std::map<int, int> uses;
    for (int img : out)
        ++uses[img];
    const int base = count / images, extra = count % images;
    int withExtra = 0;
    for (const auto &[img, n] : uses) {
        QVERIFY(img >= 100 && img < 100 + images);
        QVERIFY(n == base || n == base + 1);
        withExtra += n == base + 1;
    }
    QCOMPARE(withExtra, extra);
    if (base > 0)
        QCOMPARE(int(uses.size()), images); // every image used when there are enough captions
}

POISONLAB_TEST_MAIN(TestAttackSampling)
#include "tst_attacksampling.moc"
