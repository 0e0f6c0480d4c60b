// The class histogram counts images per class (and per split) and exports as PNG and SVG.
#include "TestSupport.h"
#include "UiTestData.h"

#include "browser/ClassHistogramView.h"

#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>

using namespace poisonlab;
using poisonlab::ui::ClassCounts;
using poisonlab::ui::ClassHistogramView;

class TestClassHistogram : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void countsPerClassAndSplit();
    void barsFollowTheCounts();
    void exportsPngAndSvg();
    void exportReportsBadPaths();
};

void TestClassHistogram::countsPerClassAndSplit()
{
    auto dataset = test::goldenDataset();
    dataset->images.push_back(data::ImageRecord{"x.png", "x", 0, 0, {}, -1, data::Split::Train, 0});
    const ClassCounts counts = ClassCounts::count(*dataset);
    QCOMPARE(counts.classes, QStringList({"cat", "dog", "sheep", "aeroplane"}));
    QCOMPARE(counts.total, QVector<int>({2, 2, 1, 1}));
    QCOMPARE(counts.unlabelled, 1);
    QCOMPARE(counts.perSplit.size(), 3);
    QCOMPARE(counts.perSplit[0].first, QString("train"));
    QCOMPARE(counts.perSplit[0].second, QVector<int>({1, 1, 1, 0}));
    QCOMPARE(counts.perSplit[1].first, QString("val"));
    QCOMPARE(counts.perSplit[1].second, QVector<int>({0, 1, 0, 0}));
    QCOMPARE(counts.perSplit[2].first, QString("test"));
    QCOMPARE(counts.perSplit[2].second, QVector<int>({1, 0, 0, 1}));
}

void TestClassHistogram::barsFollowTheCounts()
{
    ClassHistogramView view;
    view.setDataset(test::goldenDataset());
    auto series = view.chartView()->chart()->series();
    QCOMPARE(series.size(), 1);
    auto *bars = qobject_cast<QBarSeries *>(series.first());
    QVERIFY(bars);
    QCOMPARE(bars->count(), 1);
    QCOMPARE(bars->barSets().first()->at(0), 2.0);
    QCOMPARE(bars->barSets().first()->at(3), 1.0);
    view.setPerSplit(true);
    bars = qobject_cast<QBarSeries *>(view.chartView()->chart()->series().first());
    QCOMPARE(bars->count(), 3);
    QCOMPARE(bars->barSets().at(2)->label(), QString("test"));
    QCOMPARE(bars->barSets().at(2)->at(3), 1.0);
    // A click on a bar selects its class.
    QSignalSpy clicked(&view, &ClassHistogramView::classClicked);
    Q_EMIT bars->clicked(2, bars->barSets().first());
    QCOMPARE(clicked.count(), 1);
    QCOMPARE(clicked.first().at(0).toInt(), 2);
}

void TestClassHistogram::exportsPngAndSvg()
{
    test::TempDir dir;
    ClassHistogramView view;
    view.resize(700, 400);
    view.setDataset(test::goldenDataset());
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString png = QString::fromStdString((dir / "hist.png").string());
    const QString svg = QString::fromStdString((dir / "hist.svg").string());
    QString error;
    QVERIFY2(view.exportTo(png, &error), qPrintable(error));
    QVERIFY2(view.exportTo(svg, &error), qPrintable(error));
    const QImage image(png);
    QVERIFY(!image.isNull());
    QVERIFY(image.width() >= 2 * 600); // rendered at twice the chart's size, for slides
    QFile file(svg);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(text.contains("<svg"));
    QVERIFY(text.contains("aeroplane")); // axis labels are text, not pixels
    QVERIFY(text.contains("Images per class"));
}

void TestClassHistogram::exportReportsBadPaths()
{
    test::TempDir dir;
    ClassHistogramView view;
    view.setDataset(test::goldenDataset());
    QString error;
    const QString gif = QString::fromStdString((dir / "hist.gif").string());
    QVERIFY(!view.exportTo(gif, &error));
    QVERIFY2(error.contains("hist.gif") && error.contains(".png"), qPrintable(error));
    const QString nowhere = QString::fromStdString((dir / "no" / "such" / "dir" / "hist.png").string());
    QVERIFY(!view.exportTo(nowhere, &error));
    QVERIFY2(error.contains(nowhere), qPrintable(error));
}

POISONLAB_TEST_MAIN(TestClassHistogram)
#include "tst_classhistogram.moc"
