// PairFilterProxyModel: class, split, poison and text filters and one-per-image give the
// expected pairs of the golden dataset (see UiTestData.h).
#include "TestSupport.h"
#include "UiTestData.h"

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
