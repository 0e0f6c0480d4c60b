// DatasetSummary: the status bar's one-line account of an open dataset and its name, in the
// user's locale (C here: no group separators below 1,000).
#include "TestSupport.h"
#include "UiTestData.h"

#include "dataset/DatasetSummary.h"

using namespace poisonlab;
using poisonlab::ui::DatasetSummary;

class TestDatasetSummary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }
    void describesTheDataset_data();
    void describesTheDataset();
};

void TestDatasetSummary::describesTheDataset_data()
{
    QTest::addColumn<bool>("named");
    QTest::addColumn<bool>("poisoned");
    QTest::addColumn<bool>("skipped");
    QTest::addColumn<QString>("summary");
    QTest::newRow("golden: poisoned and skipped")
        << true << true << true
        << "golden (test): 6 images, 10 pairs, 4 classes, 2 poisoned — 1 skipped (see Skipped items)";
    QTest::newRow("clean, nothing skipped") << true << false << false << "golden (test): 6 images, 10 pairs, 4 classes";
    QTest::newRow("unnamed: the root folder's name")
        << false << false << false << "nonexistent-root (test): 6 images, 10 pairs, 4 classes";
}

void TestDatasetSummary::describesTheDataset()
{
    QFETCH(bool, named);
    QFETCH(bool, poisoned);
    QFETCH(bool, skipped);
    QFETCH(QString, summary);
    auto dataset = test::goldenDataset();
    if (!named)
        dataset->name.clear();
    if (!poisoned)
        for (auto &c : dataset->captions)
            c.poisoned = false;
    if (!skipped)
        dataset->skipped.clear();
    QCOMPARE(DatasetSummary::describe(*dataset), summary);
    QCOMPARE(DatasetSummary::name(*dataset), named ? QStringLiteral("golden") : QStringLiteral("nonexistent-root"));
}

POISONLAB_TEST_MAIN(TestDatasetSummary)
#include "tst_datasetsummary.moc"
