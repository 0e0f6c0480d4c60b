// The Results step hands its analysis views the run shown and its clean counterpart: a view added
// later gets the current runs at once, every view gets the new pair when another run is shown,
// and a clean run (or a run with no clean sibling) comes without a counterpart.
#include "TestSupport.h"
#include "analysis/AnalysisRuns.h"
#include "results/ResultsPage.h"
#include "results/RunViewer.h"

#include "poisonlab/core/AtomicFile.h"

#include <QSignalSpy>
#include <QTest>
#include <QWidget>

using namespace poisonlab;
namespace fs = std::filesystem;

namespace {

/// An analysis view that only records what it was given.
class RecordingView : public QWidget {
public:
    void setRuns(const ui::AnalysisRuns &runs) { received << runs; }
    QList<ui::AnalysisRuns> received;
};

// A golden run copied to `to`, with the config that says whether it was attacked.
void copyRun(const fs::path &from, const fs::path &to, bool attack)
{
    fs::copy(from, to, fs::copy_options::recursive);
    writeJsonAtomically(
        to / "config.json",
        {{"name", to.filename().string()},
         {"attack", attack ? nlohmann::json{{"plugin", "attack-single-target-label"}} : nlohmann::json(nullptr)}});
}

QString str(const fs::path &p)
{
    return QString::fromStdString(p.string());
}

} // namespace

class TestResultsPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void analysisViewsGetTheRunAndItsCleanCounterpart();
};

void TestResultsPage::analysisViewsGetTheRunAndItsCleanCounterpart()
{
    test::TempDir dir;
    const fs::path golden = test::testDataDir() / "compare";
    copyRun(golden / "attack2-r1", dir / "attack", true);
    copyRun(golden / "clean", dir / "attack-clean", false);
    ui::ResultsPage page;
    RecordingView early;
    page.addAnalysisView(&early, QStringLiteral("early"));
    QCOMPARE(early.received.size(), 1); // the (empty) current runs at once
    QVERIFY(early.received.first().isEmpty());

    QSignalSpy shown(page.runViewer(), &ui::RunViewer::runOpened);
    page.showRun(str(dir / "attack"));
    QTRY_COMPARE(shown.count(), 1);
    QCOMPARE(early.received.size(), 2);
    QCOMPARE(early.received.last().poisoned, str(fs::weakly_canonical(dir / "attack")));
    QCOMPARE(early.received.last().clean, str(fs::weakly_canonical(dir / "attack-clean")));

    RecordingView late;
    page.addAnalysisView(&late, QStringLiteral("late"));
    QCOMPARE(late.received.size(), 1);
    QCOMPARE(late.received.first(), page.analysisRuns());

    // The clean run itself: no counterpart.
    page.showRun(str(dir / "attack-clean"));
    QTRY_COMPARE(shown.count(), 2);
    QCOMPARE(late.received.last().poisoned, str(fs::weakly_canonical(dir / "attack-clean")));
    QVERIFY(late.received.last().clean.isEmpty());
    QCOMPARE(early.received.last(), late.received.last());
}

POISONLAB_TEST_MAIN(TestResultsPage)
#include "tst_resultspage.moc"
