// RetrievalExplorer on tiny runs the test trains (Attack II sheep -> aeroplane and its clean
// counterpart): the top-K images of a picked caption are the ranking computed from the run's .npy
// files (same rows, same ranks), targets framed; a clean run set beside it gives a second column
// answering the same typed query with its own model; picking an image lists its top captions;
// a selection is announced; empty and untokenisable queries say so.
#include "TestSupport.h"
#include "ToyExperiment.h"

#include "analysis/RetrievalExplorer.h"
#include "analysis/RetrievalResultColumn.h"
#include "poisonlab/core/eval/EvaluationRecord.h"
#include "poisonlab/core/eval/SimilarityMatrix.h"
#include "poisonlab/core/experiment/ExperimentRunner.h"

#include <QLabel>
#include <QListWidget>
#include <QSignalSpy>

#include <torch/torch.h>

using namespace poisonlab;
using poisonlab::ui::AnalysisRuns;
using poisonlab::ui::RetrievalExplorer;
namespace fs = std::filesystem;

namespace {

constexpr int kRowRole = Qt::UserRole + 1; // RetrievalResultColumn's item roles
constexpr int kTargetRole = Qt::UserRole + 2;

bool waitFor(QSignalSpy &spy, int timeoutMs = 30000)
{
    return !spy.isEmpty() || spy.wait(timeoutMs);
}

} // namespace

class TestRetrievalExplorer : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void captionTopKEqualsNpyRanking_data();
    void captionTopKEqualsNpyRanking();
    void sideBySideShowsTwoColumns();
    void startsWithASourceClassCaption();
    void pickingAnImageListsItsCaptions();
    void emptyAndUntokenisableQueriesSaySo_data();
    void emptyAndUntokenisableQueriesSaySo();

private:
    void open(RetrievalExplorer &explorer, const AnalysisRuns &runs);
    std::unique_ptr<test::TempDir> m_dir;
    QString m_poisoned, m_clean;
};

void TestRetrievalExplorer::initTestCase()
{
    m_dir = std::make_unique<test::TempDir>();
    test::writeToyExperimentData(*m_dir / "toy");
    NullProgress progress;
    for (bool attack : {true, false}) {
        experiment::RunOptions options;
        options.outDir = *m_dir / (attack ? "poisoned" : "clean");
        experiment::ExperimentRunner::run(
            test::toyExperimentConfig(*m_dir / "toy", attack, attack ? "toy" : "toy-clean"), options, progress);
    }
    m_poisoned = QString::fromStdString((*m_dir / "poisoned").string());
    m_clean = QString::fromStdString((*m_dir / "clean").string());
}

void TestRetrievalExplorer::open(RetrievalExplorer &explorer, const AnalysisRuns &runs)
{
    QSignalSpy ready(&explorer, &RetrievalExplorer::galleriesReady);
    explorer.setRuns(runs);
    QVERIFY(waitFor(ready));
}

void TestRetrievalExplorer::captionTopKEqualsNpyRanking_data()
{
    QTest::addColumn<int>("caption");
    QTest::addColumn<int>("k");
    QTest::newRow("a sheep caption, top 5") << 12 << 5;
    QTest::newRow("first caption, all 8") << 0 << 8;
    QTest::newRow("a dog caption, top 3") << 5 << 3;
}

void TestRetrievalExplorer::captionTopKEqualsNpyRanking()
{
    QFETCH(int, caption);
    QFETCH(int, k);
    RetrievalExplorer explorer;
    open(explorer, {m_poisoned, {}});
    QCOMPARE(explorer.columnCount(), 1);
    explorer.setTopK(k);
    QSignalSpy shown(&explorer, &RetrievalExplorer::resultsShown);
    explorer.pickCaption(caption);
    QVERIFY(waitFor(shown));

    // The ranking from the .npy files alone.
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_poisoned.toStdString(), "final"));
    const torch::Tensor s = rec.captions.matmul(rec.images.t()).contiguous();
    const float *row = s.data_ptr<float>() + std::int64_t(caption) * s.size(1);
    std::vector<int> order(std::size_t(s.size(1)));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [row](int a, int b) { return row[a] > row[b]; });

    QListWidget *grid = explorer.column(0)->imageList();
    QCOMPARE(grid->count(), k);
    for (int p = 0; p < k; ++p) {
        const int image = order[std::size_t(p)];
        QCOMPARE(grid->item(p)->data(kRowRole).toInt(), image);
        const auto rank = eval::countHigher(row, s.size(1), row[image]);
        QVERIFY2(grid->item(p)->text().startsWith(QString("#%1 ").arg(rank + 1)), qPrintable(grid->item(p)->text()));
        const bool aeroplane = rec.index["images"][std::size_t(image)]["class"] == "aeroplane";
        QCOMPARE(grid->item(p)->data(kTargetRole).toBool(), aeroplane); // Attack II's targets: class B
    }
}

void TestRetrievalExplorer::sideBySideShowsTwoColumns()
{
    RetrievalExplorer explorer;
    open(explorer, {m_poisoned, m_clean});
    QCOMPARE(explorer.columnCount(), 2);
    auto titled = [&](int side, const QString &text) {
        for (auto *label : explorer.column(side)->findChildren<QLabel *>())
            if (label->text() == text)
                return true;
        return false;
    };
    QVERIFY(titled(0, "Poisoned: poisoned"));
    QVERIFY(titled(1, "Clean: clean"));
    explorer.setTopK(4);
    explorer.setQueryText("a sheep standing");
    for (int side = 0; side < 2; ++side) // the typed query's answer (the first look had the default K)
        QTRY_COMPARE_WITH_TIMEOUT(explorer.column(side)->imageList()->count(), 4, 30000);
    QVERIFY2(explorer.statusText().isEmpty(), qPrintable(explorer.statusText()));
    QStringList scores[2];
    for (int side = 0; side < 2; ++side) {
        QListWidget *grid = explorer.column(side)->imageList();
        for (int p = 0; p < grid->count(); ++p)
            scores[side] << grid->item(p)->text().section('\n', 0, 0);
    }
    QVERIFY2(scores[0] != scores[1], qPrintable(scores[0].join(", "))); // two models, two rankings

    // Selecting result images announces their dataset paths.
    QSignalSpy selected(&explorer, &RetrievalExplorer::imagesSelected);
    QListWidget *grid = explorer.column(1)->imageList();
    grid->item(0)->setSelected(true);
    grid->item(2)->setSelected(true);
    QVERIFY(!selected.isEmpty());
    const QStringList paths = selected.last().at(0).toStringList();
    QCOMPARE(paths.size(), 2);
    QVERIFY2(paths.front().startsWith("img/"), qPrintable(paths.front()));
}

// Nothing to type for a first look: the explorer starts on a caption of the attack's source
// class (sheep), so both models' rankings are there at once.
void TestRetrievalExplorer::startsWithASourceClassCaption()
{
    RetrievalExplorer explorer;
    QSignalSpy shown(&explorer, &RetrievalExplorer::resultsShown);
    open(explorer, {m_poisoned, m_clean});
    QVERIFY(waitFor(shown));
    QVERIFY2(explorer.queryText().contains(QStringLiteral("sheep")), qPrintable(explorer.queryText()));
    QVERIFY(explorer.column(0)->imageList()->count() > 0);
    QVERIFY(explorer.column(1)->imageList()->count() > 0);
}

void TestRetrievalExplorer::pickingAnImageListsItsCaptions()
{
    RetrievalExplorer explorer;
    open(explorer, {m_poisoned, m_clean});
    QSignalSpy shown(&explorer, &RetrievalExplorer::resultsShown);
    explorer.setTopK(3);
    explorer.pickCaption(0);
    QVERIFY(waitFor(shown));
    shown.clear();
    QListWidget *grid = explorer.column(0)->imageList();
    const int row = grid->item(0)->data(kRowRole).toInt();
    grid->item(0)->setSelected(true);
    QVERIFY(waitFor(shown));
    const auto rec = eval::EvaluationRecord::load(eval::evaluationRecordDir(m_poisoned.toStdString(), "final"));
    const torch::Tensor column = rec.captions.matmul(rec.images.t()).select(1, row).contiguous();
    const auto best = column.argmax().item<std::int64_t>();
    QListWidget *captions = explorer.column(0)->captionList();
    QCOMPARE(captions->count(), 3);
    QVERIFY2(captions->item(0)->text().contains(
                 QString::fromStdString(rec.index["captions"][std::size_t(best)]["text"].get<std::string>())),
             qPrintable(captions->item(0)->text()));
    QCOMPARE(explorer.column(1)->captionList()->count(), 3); // the same image under the clean model
}

void TestRetrievalExplorer::emptyAndUntokenisableQueriesSaySo_data()
{
    QTest::addColumn<QString>("query");
    QTest::addColumn<QString>("message");
    QTest::newRow("blank") << "   "
                           << "The query is empty";
    QTest::newRow("tokenises to nothing") << "&nbsp;"
                                          << "tokenises to nothing";
}

void TestRetrievalExplorer::emptyAndUntokenisableQueriesSaySo()
{
    QFETCH(QString, query);
    QFETCH(QString, message);
    RetrievalExplorer explorer;
    open(explorer, {m_poisoned, m_clean});
    QSignalSpy shown(&explorer, &RetrievalExplorer::resultsShown);
    explorer.setQueryText("a dog standing");
    QVERIFY(waitFor(shown));
    QVERIFY(explorer.column(0)->imageList()->count() > 0);
    shown.clear();
    explorer.setQueryText(query);
    QVERIFY(waitFor(shown));
    QVERIFY2(explorer.statusText().contains(message), qPrintable(explorer.statusText()));
    QCOMPARE(explorer.column(0)->imageList()->count(), 0);
    QCOMPARE(explorer.column(1)->imageList()->count(), 0);
}

POISONLAB_TEST_MAIN(TestRetrievalExplorer)
#include "tst_retrievalexplorer.moc"
