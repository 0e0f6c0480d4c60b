// PairFilterProxyModel: class, split, poison and text filters and one-per-image give the
// expected pairs of the golden dataset (see UiTestData.h).
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/PairFilterBar.h"
#include "browser/PairFilterProxyModel.h"
#include "browser/PairTableModel.h"

using namespace poisonlab;
using poisonlab::ui::PairFilterProxyModel;
using poisonlab::ui::PairTableModel;
using Poison = PairFilterProxyModel::Poison;

Q_DECLARE_METATYPE(PairFilterProxyModel::Poison)

class TestPairFilterProxyModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void filters_data();
    void filters();
    void searchIsDebounced();
    void sortsByColumn();
    void newDatasetKeepsFilterConsistent();
    void imageSubset_data();
    void imageSubset();
};

static QList<int> shownCaptions(const PairFilterProxyModel &proxy)
{
    QList<int> rows;
    for (int r = 0; r < proxy.rowCount(); ++r)
        rows << proxy.index(r, 0).data(PairTableModel::CaptionIndexRole).toInt();
    std::sort(rows.begin(), rows.end());
    return rows;
}

void TestPairFilterProxyModel::filters_data()
{
    QTest::addColumn<int>("cls");
    QTest::addColumn<int>("split");
    QTest::addColumn<Poison>("poison");
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("onePerImage");
    QTest::addColumn<QList<int>>("expected");
    const int any = -1, train = int(data::Split::Train), test = int(data::Split::Test), val = int(data::Split::Val);
    QTest::newRow("everything") << any << any << Poison::Any << "" << false << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    QTest::newRow("class cat") << 0 << any << Poison::Any << "" << false << QList<int>{0, 1, 2};
    QTest::newRow("class sheep incl. poisoned captions")
        << 2 << any << Poison::Any << "" << false << QList<int>{5, 7, 8, 9};
    QTest::newRow("class aeroplane incl. poisoned images")
        << 3 << any << Poison::Any << "" << false << QList<int>{6, 7, 8};
    QTest::newRow("split train") << any << train << Poison::Any << "" << false << QList<int>{0, 1, 3, 5, 9};
    QTest::newRow("split val") << any << val << Poison::Any << "" << false << QList<int>{4};
    QTest::newRow("split test") << any << test << Poison::Any << "" << false << QList<int>{2, 6, 7, 8};
    QTest::newRow("poisoned only") << any << any << Poison::PoisonedOnly << "" << false << QList<int>{7, 8};
    QTest::newRow("clean only") << any << any << Poison::CleanOnly << "" << false << QList<int>{0, 1, 2, 3, 4, 5, 6, 9};
    QTest::newRow("text") << any << any << Poison::Any << "sheep" << false << QList<int>{5, 7, 8, 9};
    QTest::newRow("text ignores case") << any << any << Poison::Any << "GRASS" << false << QList<int>{3, 9};
    QTest::newRow("text all words") << any << any << Poison::Any << "cat  sleep" << false << QList<int>{0, 1};
    QTest::newRow("text non-ASCII") << any << any << Poison::Any << "MÜNCHEN" << false << QList<int>{6};
    QTest::newRow("text no match") << any << any << Poison::Any << "zebra" << false << QList<int>{};
    QTest::newRow("combined") << 2 << test << Poison::PoisonedOnly << "sheep" << false << QList<int>{7, 8};
    QTest::newRow("class and clean") << 3 << any << Poison::CleanOnly << "" << false << QList<int>{6};
    QTest::newRow("one per image") << any << any << Poison::Any << "" << true << QList<int>{0, 2, 3, 4, 5, 6};
    QTest::newRow("one per image, first match") << any << any << Poison::Any << "sheep" << true << QList<int>{5, 7};
    QTest::newRow("one per image, poisoned") << any << any << Poison::PoisonedOnly << "" << true << QList<int>{7};
}

void TestPairFilterProxyModel::filters()
{
    QFETCH(int, cls);
    QFETCH(int, split);
    QFETCH(Poison, poison);
    QFETCH(QString, text);
    QFETCH(bool, onePerImage);
    QFETCH(QList<int>, expected);

    PairTableModel model;
    model.setDataset(test::goldenDataset());
    PairFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setClassFilter(cls);
    proxy.setSplitFilter(split);
    proxy.setPoisonFilter(poison);
    proxy.applySearchText(text);
    proxy.setOnePerImage(onePerImage);
    QCOMPARE(shownCaptions(proxy), expected);
}

void TestPairFilterProxyModel::imageSubset_data()
{
    QTest::addColumn<QList<int>>("images");
    QTest::addColumn<int>("cls");
    QTest::addColumn<QList<int>>("expected");
    QTest::addColumn<int>("size"); // images kept; 0: no subset in effect
    QTest::newRow("two images") << QList<int>{0, 5} << -1 << QList<int>{0, 1, 6, 7, 8} << 2;
    QTest::newRow("with a class filter") << QList<int>{0, 5} << 2 << QList<int>{7, 8} << 2;
    QTest::newRow("repeated and out of range") << QList<int>{4, 4, 99, -1} << -1 << QList<int>{5, 9} << 1;
    QTest::newRow("none in this dataset: no subset")
        << QList<int>{99} << -1 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 0;
    QTest::newRow("empty clears") << QList<int>{} << -1 << QList<int>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9} << 0;
}

// A selection made in an analysis view narrows the browser to those images' pairs, on top of the
// other filters; the filter bar shows it and can clear it.
void TestPairFilterProxyModel::imageSubset()
{
    QFETCH(QList<int>, images);
    QFETCH(int, cls);
    QFETCH(QList<int>, expected);
    QFETCH(int, size);
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    PairFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    poisonlab::ui::PairFilterBar bar(&proxy);
    bar.setDataset(model.dataset());
    proxy.setClassFilter(cls);
    proxy.setImageSubset(images, QStringLiteral("the embedding map"));
    QCOMPARE(shownCaptions(proxy), expected);
    QCOMPARE(proxy.hasImageSubset(), size > 0);
    QCOMPARE(proxy.imageSubsetSize(), size);
    QCOMPARE(bar.subsetChip()->isVisibleTo(&bar), size > 0);
    proxy.clearImageSubset();
    QVERIFY(!proxy.hasImageSubset());
    QVERIFY(!bar.subsetChip()->isVisibleTo(&bar));
}

void TestPairFilterProxyModel::searchIsDebounced()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    PairFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    QCOMPARE(proxy.searchDebounce(), 200);
    QSignalSpy applied(&proxy, &PairFilterProxyModel::filterApplied);
    for (const char *typed : {"c", "ca", "cat"})
        proxy.setSearchText(QString::fromLatin1(typed));
    QCOMPARE(proxy.rowCount(), 10);    // typing does not filter at once...
    QTRY_COMPARE(proxy.rowCount(), 3); // ...but after a short pause
    QCOMPARE(applied.count(), 1);      // and only once for the three keystrokes
    QCOMPARE(proxy.searchText(), QString("cat"));
}

void TestPairFilterProxyModel::sortsByColumn()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    PairFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.sort(PairTableModel::CaptionColumn);
    QCOMPARE(proxy.index(0, PairTableModel::CaptionColumn).data().toString(), QString("A black cat in the garden."));
    proxy.sort(PairTableModel::PoisonedColumn, Qt::DescendingOrder);
    QVERIFY(proxy.index(0, 0).data(PairTableModel::PoisonedRole).toBool());
    QVERIFY(proxy.index(1, 0).data(PairTableModel::PoisonedRole).toBool());
    QVERIFY(!proxy.index(2, 0).data(PairTableModel::PoisonedRole).toBool());
    proxy.sort(-1); // back to the dataset's order
    QCOMPARE(proxy.index(0, 0).data(PairTableModel::CaptionIndexRole).toInt(), 0);
}

void TestPairFilterProxyModel::newDatasetKeepsFilterConsistent()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    PairFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setPoisonFilter(Poison::PoisonedOnly);
    QCOMPARE(proxy.rowCount(), 2);
    auto clean = test::goldenDataset();
    for (auto &c : clean->captions)
        c.poisoned = false;
    model.setDataset(clean);
    QCOMPARE(proxy.rowCount(), 0);
}

POISONLAB_TEST_MAIN(TestPairFilterProxyModel)
#include "tst_pairfilterproxymodel.moc"
