// RunViewer and RunTables on the golden run directories of tests/data/report: the tables show
// exactly the files' numbers (utility, attack, per epoch, poisoning, defenses), the charts their
// points; absent files read "not in this run", malformed ones a message naming the file; the
// header names a utility gallery of its own; a run read in the background shows the same.
#include "TestSupport.h"

#include "charts/LineChartWidget.h"
#include "poisonlab/core/AtomicFile.h"
#include "results/DefenseResultsView.h"
#include "results/RunViewer.h"

#include <nlohmann/json.hpp>

#include <QLineSeries>
#include <QSignalSpy>
#include <QStandardItemModel>

using namespace poisonlab;
using poisonlab::ui::RunViewer;
namespace fs = std::filesystem;

class TestRunViewer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void tablesShowTheFilesNumbers_data();
    void tablesShowTheFilesNumbers();
    void chartsShowTheFilesPoints();
    void absentFilesAreNotInThisRun();
    void malformedFilesAreNamed();
    void notARunIsAnError();
    void headerNamesTheUtilityGallery();
    void chartsExport();
    void perEpochChartFollowsK();
    void poisonSummaryNamesTheAttack();
    void cleanRunHasNoEpochsOrPoison();
    void backgroundOpenShowsTheRun();
    void backgroundOpenFailureNamesTheFile();

private:
    RunViewer m_viewer;
    QString attackRun() const
    {
        return QString::fromStdString((test::testDataDir() / "report" / "attack-run").string());
    }
};

void TestRunViewer::initTestCase()
{
    QVERIFY2(m_viewer.openRun(attackRun()), qPrintable(m_viewer.errorText()));
}

void TestRunViewer::tablesShowTheFilesNumbers_data()
{
    QTest::addColumn<QString>("table");
    QTest::addColumn<int>("row");
    QTest::addColumn<int>("column");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QVariant>("value"); // the exact number of the file (invalid: a text cell)
    // Utility: fine-tuned text, fine-tuned image, then the starting model's two rows.
    QTest::newRow("txt R@1") << "utility" << 0 << 2 << "51.67" << QVariant(0.5167);
    QTest::newRow("txt R@10") << "utility" << 0 << 4 << "88.33" << QVariant(0.8833);
    QTest::newRow("txt mean rank") << "utility" << 0 << 5 << "9.50" << QVariant(9.5);
    QTest::newRow("img R@5") << "utility" << 1 << 3 << "73.33" << QVariant(0.7333);
    QTest::newRow("img R@10") << "utility" << 1 << 4 << "85.67" << QVariant(0.8567);
    QTest::newRow("R_mean") << "utility" << 1 << 7 << "69.50" << QVariant(0.695);
    QTest::newRow("initial label") << "utility" << 2 << 0 << "starting model" << QVariant();
    QTest::newRow("initial txt R@1") << "utility" << 2 << 2 << "55.00" << QVariant(0.55);
    QTest::newRow("initial img R@1") << "utility" << 3 << 2 << "41.33" << QVariant(0.4133);
    // Attack: per goal, ours then the baseline.
    QTest::newRow("goal 1") << "attack" << 0 << 0 << "sheep->aeroplane" << QVariant();
    QTest::newRow("queries") << "attack" << 0 << 1 << "15" << QVariant(15.0);
    QTest::newRow("ours Hit@1") << "attack" << 0 << 3 << "45.67" << QVariant(0.4567);
    QTest::newRow("ours Hit@5") << "attack" << 0 << 4 << "81.23" << QVariant(0.8123);
    QTest::newRow("ours Hit@10") << "attack" << 0 << 5 << "93.33" << QVariant(0.9333);
    QTest::newRow("ours MinRank") << "attack" << 0 << 6 << "1.26" << QVariant(1.26);
    QTest::newRow("baseline Hit@1") << "attack" << 1 << 3 << "1.33" << QVariant(0.0133);
    QTest::newRow("baseline Hit@10") << "attack" << 1 << 5 << "14.67" << QVariant(0.1467);
    QTest::newRow("baseline MinRank") << "attack" << 1 << 6 << "17.84" << QVariant(17.84);
    QTest::newRow("goal 2 Hit@10") << "attack" << 2 << 5 << "86.67" << QVariant(0.8667);
    QTest::newRow("goal 2 baseline MinRank") << "attack" << 3 << 6 << "18.52" << QVariant(18.52);
    // The pre-training filter.
    QTest::newRow("pairs") << "detection" << 2 << 1 << "4800" << QVariant(4800.0);
    QTest::newRow("poisoned") << "detection" << 3 << 1 << "60" << QVariant(60.0);
    QTest::newRow("removed") << "detection" << 4 << 1 << "48" << QVariant(48.0);
    QTest::newRow("TP") << "detection" << 5 << 1 << "41" << QVariant(41.0);
    QTest::newRow("FP") << "detection" << 6 << 1 << "7" << QVariant(7.0);
    QTest::newRow("kept") << "detection" << 7 << 1 << "4752" << QVariant(4752.0);
    QTest::newRow("precision") << "detection" << 8 << 1 << "0.8542" << QVariant(0.8542);
    QTest::newRow("recall") << "detection" << 9 << 1 << "0.6833" << QVariant(0.6833);
    QTest::newRow("F1") << "detection" << 10 << 1 << "0.7593" << QVariant(0.7593);
    QTest::newRow("AUC") << "detection" << 11 << 1 << "0.9531" << QVariant(0.9531);
    // Post-training: lr 1e-5 epochs 0..2, then 5e-5.
    QTest::newRow("lr") << "posttrain" << 0 << 0 << "1e-05" << QVariant(1e-05);
    QTest::newRow("epoch") << "posttrain" << 2 << 1 << "2" << QVariant(2.0);
    QTest::newRow("R_mean e2") << "posttrain" << 2 << 2 << "69.12" << QVariant(0.6912);
    QTest::newRow("Hit@10 e1") << "posttrain" << 1 << 3 << "60.00" << QVariant(0.6);
    QTest::newRow("Hit@10 lr2 e2") << "posttrain" << 5 << 3 << "6.67" << QVariant(0.0667);
    // Per epoch: epoch, loss, lr, I→T R@1/5/10, T→I R@1/5/10, R_mean, then per goal Hit@1/5/10, MinRank.
    QTest::newRow("epoch 0") << "perEpoch" << 0 << 0 << "0 (start)" << QVariant(0.0);
    QTest::newRow("epoch 0 loss absent") << "perEpoch" << 0 << 1 << "–" << QVariant();
    QTest::newRow("epoch 0 goal 1 Hit@10") << "perEpoch" << 0 << 12 << "6.67" << QVariant(0.0667);
    QTest::newRow("epoch 1 loss") << "perEpoch" << 1 << 1 << "1.9000" << QVariant(1.9);
    QTest::newRow("epoch 1 lr") << "perEpoch" << 1 << 2 << "1e-05" << QVariant(1e-05);
    QTest::newRow("epoch 1 I→T R@1") << "perEpoch" << 1 << 3 << "53.33" << QVariant(0.5333);
    QTest::newRow("epoch 1 R_mean") << "perEpoch" << 1 << 9 << "70.28" << QVariant(0.7027666666666667);
    QTest::newRow("epoch 1 goal 1 Hit@10") << "perEpoch" << 1 << 12 << "66.67" << QVariant(0.6667);
    QTest::newRow("epoch 2 T→I R@10") << "perEpoch" << 2 << 8 << "85.67" << QVariant(0.8567);
    QTest::newRow("epoch 2 goal 2 Hit@1") << "perEpoch" << 2 << 14 << "33.33" << QVariant(0.3333);
    QTest::newRow("epoch 2 goal 2 MinRank") << "perEpoch" << 2 << 17 << "2.44" << QVariant(2.44);
    // Poisoning, per goal: eligible units/pairs, poisoned units/pairs, target images used, available.
    QTest::newRow("poison goal 2") << "poison" << 1 << 0 << "sofa → bird" << QVariant();
    QTest::newRow("poison eligible pairs") << "poison" << 1 << 2 << "30" << QVariant(30.0);
    QTest::newRow("poison poisoned pairs") << "poison" << 0 << 4 << "30" << QVariant(30.0);
    QTest::newRow("poison targets used") << "poison" << 1 << 5 << "5" << QVariant(5.0);
    QTest::newRow("poison targets available") << "poison" << 1 << 6 << "6" << QVariant(6.0);
}

void TestRunViewer::tablesShowTheFilesNumbers()
{
    QFETCH(QString, table);
    QFETCH(int, row);
    QFETCH(int, column);
    QFETCH(QString, text);
    QFETCH(QVariant, value);
    QStandardItemModel *model = table == QLatin1String("utility")     ? m_viewer.utilityModel()
                                : table == QLatin1String("attack")    ? m_viewer.attackModel()
                                : table == QLatin1String("perEpoch")  ? m_viewer.perEpochModel()
                                : table == QLatin1String("poison")    ? m_viewer.poisonGoalsModel()
                                : table == QLatin1String("detection") ? m_viewer.defenseView()->detectionModel()
                                                                      : m_viewer.defenseView()->postTrainingModel();
    QVERIFY(row < model->rowCount());
    const QModelIndex index = model->index(row, column);
    QCOMPARE(index.data().toString(), text);
    if (value.isValid())
        QCOMPARE(index.data(Qt::UserRole).toDouble(), value.toDouble()); // exact: straight from the file
    else if (text == QStringLiteral("–"))
        QVERIFY(!index.data(Qt::UserRole).isValid()); // absent, not zero
}

void TestRunViewer::chartsShowTheFilesPoints()
{
    const auto *roc = m_viewer.defenseView()->rocChart();
    QVERIFY(roc->placeholder().isEmpty());
    QCOMPARE(roc->seriesCount(), 2); // the curve and the chance line
    QCOMPARE(roc->series(0)->count(), 5);
    QCOMPARE(roc->series(0)->at(2), QPointF(0.0015, 0.6833));

    const auto *hits = m_viewer.defenseView()->postTrainingChart();
    QCOMPARE(hits->seriesCount(), 2); // one line per learning rate
    QCOMPARE(hits->series(0)->name(), QStringLiteral("lr 1e-05"));
    QCOMPARE(hits->series(0)->points(), (QList<QPointF>{{0, 0.9333}, {1, 0.6}, {2, 0.3567}}));
    QCOMPARE(hits->series(1)->at(2), QPointF(2, 0.0667));

    const auto *loss = m_viewer.lossChart();
    QCOMPARE(loss->seriesCount(), 2); // per step, per epoch
    QCOMPARE(loss->series(0)->count(), 6);
    QCOMPARE(loss->series(0)->at(0), QPointF(1, 2.1));
    QCOMPARE(loss->series(1)->points(), (QList<QPointF>{{3, 1.9}, {6, 1.45}}));

    QVERIFY(m_viewer.headerText().contains(QStringLiteral("golden_attack3")));
    QVERIFY(m_viewer.poisonNote().contains(QStringLiteral("60 poisoned pairs of 4800")));
    QVERIFY(m_viewer.problemsText().isEmpty());
}

void TestRunViewer::absentFilesAreNotInThisRun()
{
    RunViewer viewer;
    QVERIFY(viewer.openRun(QString::fromStdString((test::testDataDir() / "report" / "clean-run").string())));
    QVERIFY(viewer.defenseView()->prefilterNote().contains(QStringLiteral("prefilter.json: not in this run")));
    QVERIFY(viewer.defenseView()->posttrainNote().contains(QStringLiteral("posttrain.json: not in this run")));
    QCOMPARE(viewer.lossChart()->placeholder(), QStringLiteral("metrics.jsonl: not in this run"));
    QVERIFY(viewer.poisonNote().contains(QStringLiteral("not in this run")));
    QCOMPARE(viewer.attackModel()->rowCount(), 0);
    QCOMPARE(viewer.utilityModel()->rowCount(), 2); // no starting-model evaluation
}

// A run that measured R@K on a gallery of its own says where, beside the attack's gallery.
void TestRunViewer::headerNamesTheUtilityGallery()
{
    QVERIFY(!m_viewer.headerText().contains(QStringLiteral("utility on")));
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(test::testDataDir() / "report" / "attack-run", run, fs::copy_options::recursive);
    nlohmann::json final = readJsonFile(run / "results/final.json");
    final["evaluation"]["utility_gallery"] = {
        {"dataset", "flickr30k"}, {"split", "test"}, {"gallery_images", 1000}, {"captions", 5000}};
    writeJsonAtomically(run / "results/final.json", final);
    RunViewer viewer;
    QVERIFY(viewer.openRun(QString::fromStdString(run.string())));
    QVERIFY2(viewer.headerText().contains(QStringLiteral("utility on flickr30k/test")),
             qPrintable(viewer.headerText()));
}

void TestRunViewer::malformedFilesAreNamed()
{
    test::TempDir dir;
    const fs::path run = dir / "run";
    fs::copy(test::testDataDir() / "report" / "attack-run", run, fs::copy_options::recursive);
    test::writeText(run / "results/defense/prefilter.json", "{\"counts\": {");
    RunViewer viewer;
    QVERIFY(viewer.openRun(QString::fromStdString(run.string())));
    QVERIFY2(viewer.defenseView()->prefilterNote().contains(QStringLiteral("prefilter.json")),
             qPrintable(viewer.defenseView()->prefilterNote()));
    QVERIFY(!viewer.defenseView()->prefilterNote().contains(QStringLiteral("not in this run")));
    QVERIFY(viewer.problemsText().contains(QStringLiteral("prefilter.json")));
    QCOMPARE(viewer.defenseView()->detectionModel()->rowCount(), 0);
    QCOMPARE(viewer.defenseView()->postTrainingModel()->rowCount(), 6); // the other file still shows

    test::writeText(run / "results/final.json", "{\"name\": ");
    QVERIFY(!viewer.openRun(QString::fromStdString(run.string())));
    QVERIFY2(viewer.errorText().contains(QStringLiteral("final.json")), qPrintable(viewer.errorText()));
    QVERIFY(!viewer.results());
    QCOMPARE(viewer.utilityModel()->rowCount(), 0);
}

void TestRunViewer::notARunIsAnError()
{
    test::TempDir dir;
    RunViewer viewer;
    QVERIFY(!viewer.openRun(QString::fromStdString(dir.path().string())));
    QVERIFY2(viewer.errorText().contains(QStringLiteral("run.json")), qPrintable(viewer.errorText()));
}

void TestRunViewer::chartsExport()
{
    test::TempDir dir;
    for (const char *name : {"roc.png", "roc.svg"}) {
        const QString path = QString::fromStdString((dir / name).string());
        QString error;
        QVERIFY2(m_viewer.defenseView()->rocChart()->exportTo(path, &error), qPrintable(error));
        QVERIFY(QFileInfo(path).size() > 0);
    }
}

// R@K of both directions and each goal's Hit@K against the epoch; K chosen above the chart.
void TestRunViewer::perEpochChartFollowsK()
{
    const auto *chart = m_viewer.perEpochChart();
    QVERIFY(chart->placeholder().isEmpty());
    QCOMPARE(chart->seriesCount(), 4); // I→T, T→I, two goals
    QCOMPARE(chart->series(2)->name(), QStringLiteral("sheep->aeroplane Hit@10"));
    QCOMPARE(chart->series(2)->points(), (QList<QPointF>{{0, 0.0667}, {1, 0.6667}, {2, 0.9333}}));
    m_viewer.setEpochChartK(1);
    QCOMPARE(chart->series(0)->name(), QStringLiteral("I→T R@1"));
    QCOMPARE(chart->series(0)->points(), (QList<QPointF>{{0, 0.55}, {1, 0.5333}, {2, 0.5167}}));
    QCOMPARE(chart->series(3)->points(), (QList<QPointF>{{0, 0.0}, {1, 0.1333}, {2, 0.3333}}));
    m_viewer.setEpochChartK(10);
    QCOMPARE(chart->series(1)->name(), QStringLiteral("T→I R@10"));
}

void TestRunViewer::poisonSummaryNamesTheAttack()
{
    const QString summary = m_viewer.poisonSummaryText();
    for (const char *part : {"Attack III", "attack-multi-target-label", "rate 1 of the class-A captions",
                             "60 poisoned pairs of 4800 training pairs", "φ = 1.25 %"})
        QVERIFY2(summary.contains(QString::fromUtf8(part)), qPrintable(summary));
    QCOMPARE(m_viewer.poisonGoalsModel()->rowCount(), 2);
}

void TestRunViewer::cleanRunHasNoEpochsOrPoison()
{
    RunViewer viewer;
    QVERIFY(viewer.openRun(QString::fromStdString((test::testDataDir() / "report" / "clean-run").string())));
    QVERIFY(viewer.poisonSummaryText().contains(QStringLiteral("Clean run (no attack)")));
    QCOMPARE(viewer.poisonGoalsModel()->rowCount(), 0);
    QCOMPARE(viewer.perEpochModel()->rowCount(), 0);
    QCOMPARE(viewer.perEpochChart()->placeholder(), QStringLiteral("metrics.jsonl: no epochs in this run"));
}

void TestRunViewer::backgroundOpenShowsTheRun()
{
    RunViewer viewer;
    QSignalSpy opened(&viewer, &RunViewer::runOpened);
    viewer.openRunInBackground(attackRun());
    QTRY_COMPARE(opened.count(), 1);
    QVERIFY(!viewer.isLoading());
    QVERIFY(viewer.results());
    QCOMPARE(viewer.perEpochModel()->rowCount(), 3);
    QCOMPARE(viewer.attackModel()->index(0, 5).data(Qt::UserRole).toDouble(), 0.9333);
}

void TestRunViewer::backgroundOpenFailureNamesTheFile()
{
    test::TempDir dir;
    RunViewer viewer;
    QSignalSpy failed(&viewer, &RunViewer::runFailed);
    const QString path = QString::fromStdString(dir.path().string());
    viewer.openRunInBackground(path);
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.at(0).at(0).toString(), path);
    QVERIFY2(viewer.errorText().contains(QStringLiteral("run.json")), qPrintable(viewer.errorText()));
    QVERIFY(viewer.headerText().contains(path));
    QVERIFY(!viewer.results());
}

POISONLAB_TEST_MAIN(TestRunViewer)
#include "tst_runviewer.moc"
