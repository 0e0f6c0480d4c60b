// PairTableModel: one row per image-caption pair, read straight from the shared dataset.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/PairTableModel.h"

#include <QAbstractItemModelTester>

using namespace poisonlab;
using poisonlab::ui::PairTableModel;

class TestPairTableModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void emptyWithoutDataset();
    void rowsAndColumns();
    void rolesOfACleanPair();
    void rolesOfAPoisonedPair();
    void captionsOfImage();
    void replacingTheDatasetResetsTheModel();
};

void TestPairTableModel::emptyWithoutDataset()
{
    PairTableModel model;
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(PairTableModel::ColumnCount));
    QVERIFY(!model.data(model.index(0, 0)).isValid());
}

void TestPairTableModel::rowsAndColumns()
{
    PairTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setDataset(test::goldenDataset());
    QCOMPARE(model.rowCount(), 10);
    QCOMPARE(model.columnCount(), 5);
    QCOMPARE(model.rowCount(model.index(0, 0)), 0); // a table: no children
    QCOMPARE(model.headerData(PairTableModel::CaptionColumn, Qt::Horizontal).toString(), QString("Caption"));
    QCOMPARE(model.classNames(), QStringList({"cat", "dog", "sheep", "aeroplane"}));
}

void TestPairTableModel::rolesOfACleanPair()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    const QModelIndex row3 = model.index(3, PairTableModel::ImageColumn);
    QCOMPARE(row3.data(PairTableModel::CaptionIndexRole).toInt(), 3);
    QCOMPARE(row3.data(PairTableModel::ImageIndexRole).toInt(), 2);
    QCOMPARE(row3.data(PairTableModel::ImagePathRole).toString(), QString("dog/d1.png"));
    QCOMPARE(row3.data(PairTableModel::CaptionTextRole).toString(), QString("A dog runs on green grass."));
    QCOMPARE(row3.data(PairTableModel::CaptionClassRole).toInt(), 1);
    QCOMPARE(row3.data(PairTableModel::ImageClassRole).toInt(), 1);
    QCOMPARE(row3.data(PairTableModel::SplitRole).toInt(), int(data::Split::Train));
    QCOMPARE(row3.data(PairTableModel::PoisonedRole).toBool(), false);
    QCOMPARE(row3.data(PairTableModel::OriginalImageIndexRole).toInt(), -1);
    QCOMPARE(row3.data().toString(), QString("dog/d1.png"));
    QCOMPARE(model.index(3, PairTableModel::CaptionColumn).data().toString(), QString("A dog runs on green grass."));
    QCOMPARE(model.index(3, PairTableModel::ClassColumn).data().toString(), QString("dog"));
    QCOMPARE(model.index(3, PairTableModel::SplitColumn).data().toString(), QString("train"));
    QCOMPARE(model.index(3, PairTableModel::PoisonedColumn).data().toString(), QString());
    // No thumbnail cache: no decoration, and nothing is decoded.
    QVERIFY(!row3.data(Qt::DecorationRole).isValid());
}

void TestPairTableModel::rolesOfAPoisonedPair()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    const QModelIndex row7 = model.index(7, PairTableModel::ImageColumn);
    QCOMPARE(row7.data(PairTableModel::ImageIndexRole).toInt(), 5);
    QCOMPARE(row7.data(PairTableModel::PoisonedRole).toBool(), true);
    QCOMPARE(row7.data(PairTableModel::OriginalImageIndexRole).toInt(), 4);
    QCOMPARE(row7.data(PairTableModel::CaptionClassRole).toInt(), 2); // a sheep caption...
    QCOMPARE(row7.data(PairTableModel::ImageClassRole).toInt(), 3);   // ...on an aeroplane image
    QCOMPARE(model.index(7, PairTableModel::ClassColumn).data().toString(), QString("sheep → aeroplane"));
    QCOMPARE(model.index(7, PairTableModel::PoisonedColumn).data().toString(), QString("poisoned"));
    QCOMPARE(model.index(7, PairTableModel::SplitColumn).data().toString(), QString("test"));
    QVERIFY(model.index(7, PairTableModel::PoisonedColumn).data(Qt::ToolTipRole).toString().contains("sheep/s1.png"));
}

void TestPairTableModel::captionsOfImage()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    auto list = [&](int image) {
        auto span = model.captionsOfImage(image);
        return std::vector<int>(span.begin(), span.end());
    };
    QCOMPARE(list(0), (std::vector<int>{0, 1}));
    QCOMPARE(list(4), (std::vector<int>{5, 9}));
    QCOMPARE(list(5), (std::vector<int>{6, 7, 8}));
    QVERIFY(list(6).empty());
    QVERIFY(list(-1).empty());
}

void TestPairTableModel::replacingTheDatasetResetsTheModel()
{
    PairTableModel model;
    model.setDataset(test::goldenDataset());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    auto smaller = test::goldenDataset();
    smaller->captions.resize(4);
    model.setDataset(smaller);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    model.setDataset(nullptr);
    QCOMPARE(model.rowCount(), 0);
}

POISONLAB_TEST_MAIN(TestPairTableModel)
#include "tst_pairtablemodel.moc"
